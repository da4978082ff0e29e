// How terl behaves as a program beside erl: signals, a closed pipe, standard error, ERL_*FLAGS, bad
// node names, a -remsh to a node that is down, and a module's warnings on its first load. Where erl
// is installed the same command runs through it too and the two must agree; the expected texts
// written here are what erl 25 printed.

import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TERL, runTerl } from '../helpers/terl.js';

const HAVE_ERL = spawnSync('erl', ['-version']).status === 0;

interface Ran {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Run a program; `during` acts on it while it runs (a signal, closing its stdout). */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; during?: (p: ReturnType<typeof spawn>) => void; stdin?: 'ignore' | 'pipe' } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', ...opts.env }, cwd: opts.cwd, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
    }, 30000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal });
    });
    opts.during?.(p);
  });
}

const terl = (args: string[], opts: Parameters<typeof run>[2] = {}) => run(process.execPath, [TERL, ...args], opts);
/** erl, in a directory of its own (it leaves erl_crash.dump behind); its halt messages end in \r\n, which terl's do not */
async function erl(args: string[], opts: Parameters<typeof run>[2] = {}): Promise<Ran> {
  const dir = mkdtempSync(join(tmpdir(), 'erl-parity-'));
  try {
    const r = await run('erl', args, { cwd: dir, ...opts });
    return { ...r, stdout: r.stdout.replace(/\r\n/g, '\n'), stderr: r.stderr.replace(/\r\n/g, '\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Report lines carry the time: `=INFO REPORT==== 7-Dec-2026::11:27:00.020609 ===`. */
const undated = (s: string) => s.replace(/==== \d+-\w+-\d+::[\d:.]+ ===/g, '==== DATE ===');

/** Send a signal once the node has started (its -eval printed `up`). */
function signalWhenUp(sig: NodeJS.Signals) {
  return (p: ReturnType<typeof spawn>) => {
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('up')) setTimeout(() => p.kill(sig), 200);
    });
  };
}

const SLEEPER = ['-noshell', '-eval', 'io:format("up~n"), timer:sleep(infinity).'];

describe('signals', { timeout: 60000 }, () => {
  it('SIGTERM: `SIGTERM received - shutting down` as an info report on stdout, then status 0', async () => {
    const r = await terl(SLEEPER, { during: signalWhenUp('SIGTERM') });
    expect({ out: undated(r.stdout), code: r.code }).toEqual({
      out: 'up\n=INFO REPORT==== DATE ===\nSIGTERM received - shutting down\n\n',
      code: 0,
    });
    if (HAVE_ERL) {
      const e = await erl(SLEEPER, { during: signalWhenUp('SIGTERM') });
      expect({ out: undated(e.stdout), code: e.code }).toEqual({ out: undated(r.stdout), code: r.code });
    }
  });

  it('SIGINT without a terminal: the BREAK menu on stdout, and the end of input aborts with 0', async () => {
    const r = await terl(SLEEPER, { during: signalWhenUp('SIGINT') });
    expect(r.stdout).toBe(
      'up\n\nBREAK: (a)bort (A)bort with dump (c)ontinue (p)roc info (i)nfo\n       (l)oaded (v)ersion (k)ill (D)b-tables (d)istribution\n',
    );
    expect(r.code).toBe(0);
    if (HAVE_ERL) {
      const e = await erl(SLEEPER, { during: signalWhenUp('SIGINT') });
      expect([e.stdout, e.code]).toEqual([r.stdout, r.code]);
    }
  });

  it('SIGHUP ends it, as it ends erl', async () => {
    const r = await terl(SLEEPER, { during: signalWhenUp('SIGHUP') });
    expect(r.signal).toBe('SIGHUP');
    if (HAVE_ERL) expect((await erl(SLEEPER, { during: signalWhenUp('SIGHUP') })).signal).toBe('SIGHUP');
  });
});

describe('output', { timeout: 60000 }, () => {
  it('io:format(standard_error, ...) goes to standard error', async () => {
    const r = await runTerl(['-noshell', '-eval', 'io:format(standard_error, "to stderr~n", []), io:format("to stdout~n"), halt().']);
    expect([r.stdout, r.stderr]).toEqual(['to stdout\n', 'to stderr\n']);
  });

  it('a reader that closes the pipe: user terminates, the boot fails as in erl, no JavaScript trace', async () => {
    const flood = ['-noshell', '-eval', '[io:format("~p~n", [X]) || X <- lists:seq(1, 200000)], halt().'];
    const closeAfterFirst = (p: ReturnType<typeof spawn>) => p.stdout!.once('data', () => p.stdout!.destroy());
    const r = await terl(flood, { during: closeAfterFirst });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^init terminating in do_boot \(\{terminated,\[\{io,format,\[\[_\],\[_\]\],/);
    expect(r.stderr).not.toContain('EPIPE');
  });
});

describe('standard input under -noshell', { timeout: 60000 }, () => {
  /** Feed `input` to the program's stdin and close it. */
  const feeding = (input: string) => (p: ReturnType<typeof spawn>) => p.stdin!.end(input);
  const getLines = 'io:format("~p~n", [io:get_line("p> ")]), io:format("~p~n", [io:get_line("")]), io:format("~p~n", [io:read("")]), io:format("~p~n", [io:get_line("")]), halt().';
  it('io:get_line and io:read read it, then eof (erl reads it too)', async () => {
    const r = await terl(['-noshell', '-eval', getLines], { stdin: 'pipe', during: feeding('hi\nthere\nfoo.\n') });
    expect(r.stdout).toBe('p> "hi\\n"\n"there\\n"\n{ok,foo}\neof\n');
    expect(r.code).toBe(0);
    if (HAVE_ERL) expect((await erl(['-noshell', '-eval', getLines], { stdin: 'pipe', during: feeding('hi\nthere\nfoo.\n') })).stdout).toBe(r.stdout);
  });
  it('its end does not halt the node', async () => {
    const r = await terl(['-noshell', '-eval', 'timer:sleep(300), io:format("still here~n"), halt(3).'], { stdin: 'pipe', during: feeding('') });
    expect(r.stdout).toBe('still here\n');
    expect(r.code).toBe(3);
  });
});

describe('ERL_AFLAGS, ERL_FLAGS, ERL_ZFLAGS', { timeout: 60000 }, () => {
  const env = {
    ERL_AFLAGS: '-eval \'io:format("A~n")\' -extra a1',
    ERL_FLAGS: '-eval \'io:format("F~n")\' -extra f1',
    ERL_ZFLAGS: '-eval \'io:format("~p~n", [init:get_plain_arguments()]), halt()\' -extra z1',
  };
  const args = ['-noshell', '-eval', 'io:format("C~n")', '-extra', 'c1'];

  it('AFLAGS before the command line, FLAGS and ZFLAGS after it, -extra scoped to each variable', async () => {
    const r = await terl(args, { env });
    expect(r.stdout).toBe('A\nC\nF\n["a1","--","c1","f1","--","z1","--"]\n');
    if (HAVE_ERL) expect((await erl(args, { env })).stdout).toBe(r.stdout);
  });

  it('a flag terl does not know is skipped in a variable, but refused on the command line', async () => {
    const r = await terl(['-noshell', '-eval', 'io:format("ok~n"), halt().'], { env: { ERL_AFLAGS: '+S 4 -kernel shell_history enabled +pc unicode' } });
    expect([r.stdout, r.code]).toEqual(['ok\n', 0]);
    expect((await terl(['+S', '4'])).code).toBe(2);
  });
});

describe('node names and remote shells', { timeout: 60000 }, () => {
  it('-sname with a space: net_kernel’s `Invalid node name!` and the kernel’s end, status 1', async () => {
    const r = await terl(['-sname', 'bad name', '-noshell', '-eval', 'halt().']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '{"Kernel pid terminated",application_controller,"{application_start_failure,kernel,{{shutdown,{failed_to_start_child,net_sup,{shutdown,{failed_to_start_child,net_kernel,{\'EXIT\',nodistribution}}}}},{kernel,start,[normal,[]]}}}"}\n',
    );
    expect(undated(r.stderr)).toMatch(/^=INFO REPORT==== DATE ===\nInvalid node name!\nPlease check your configuration\n\n=SUPERVISOR REPORT==== DATE ===\n {4}supervisor: \{local,net_sup\}\n/);
    expect(r.stderr).toContain("[#{clean_halt => true,name => 'bad name',\n");
    if (HAVE_ERL) {
      const e = await erl(['-sname', 'bad name', '-noshell', '-eval', 'halt().']);
      // on a loaded machine erl's own logger can be gone before the report is written, and erl then
      // dumps the report's raw terms (`[]`, the text, `{error_logger,info_msg}`) to stdout first,
      // not the report to stderr: compare with whichever way erl took this time
      expect([e.stdout.endsWith(r.stdout), e.code]).toEqual([true, r.code]);
      if (e.stdout === r.stdout) expect(undated(e.stderr).startsWith(undated(r.stderr).split('\n\n')[0]!)).toBe(true);
      else expect(e.stdout).toContain('"Invalid node name!\\nPlease check your configuration\\n"');
    }
  });

  it('a name part with other characters than letters, digits, _ and - is refused too', async () => {
    for (const name of ['a.b', 'a+b', '@host']) {
      const r = await terl(['-sname', name, '-noshell', '-eval', 'halt().']);
      expect([r.code, r.stderr.includes('Invalid node name!') || r.stderr.includes("Can't set short node name!")]).toEqual([1, true]);
    }
  });

  it('-remsh to a node that is down: the shell ends with erl’s message', async () => {
    const r = await terl(['-sname', `remsh_down_${process.pid}`, '-remsh', `nosuch_${process.pid}`], { stdin: 'pipe' });
    expect(r.stdout).toBe('\n*** ERROR: Shell process terminated! (^G to start new job) ***\n');
    expect(r.code).toBe(1);
  });
});

describe('a module’s first load', { timeout: 60000 }, () => {
  it('shows erlc’s warnings once, as c/1 does, when a call compiles the module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terl-load-'));
    try {
      writeFileSync(join(dir, 'loadwarn.erl'), '-module(loadwarn).\n-export([f/1]).\nf(X) ->\n    Y = 1,\n    ok.\n');
      const r = await runTerl(['-noshell', '-eval', 'io:format("~p~n", [loadwarn:f(1)]), io:format("~p~n", [loadwarn:f(2)]), halt().'], '', { cwd: dir });
      expect(r.stdout).toBe(
        "loadwarn.erl:3:3: Warning: variable 'X' is unused\n%    3| f(X) ->\n%     |   ^\n\n" +
          "loadwarn.erl:4:5: Warning: variable 'Y' is unused\n%    4|     Y = 1,\n%     |     ^\n\n" +
          'ok\nok\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
