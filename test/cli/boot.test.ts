// erl's boot flags: -noshell with -eval, -s and -run, run in command-line order.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runTerl, startTerl } from '../helpers/terl.js';

const examples = join(ROOT, 'examples');

describe('-noshell boot commands', () => {
  it('-eval prints and halts', async () => {
    const r = await runTerl(['-noshell', '-eval', 'io:format("~p~n", [lists:seq(1, 3)]), halt().']);
    expect(r.stdout).toBe('[1,2,3]\n');
    expect(r.code).toBe(0);
  });

  it('+P sets the process limit, a power of two as erl rounds it; spawning past it is system_limit and an error report', async () => {
    const r = await runTerl([
      '+P',
      '1100',
      '-noshell',
      '-eval',
      'L = erlang:system_info(process_limit), Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, L - erlang:system_info(process_count))], ' +
        '{\'EXIT\', {Why, _}} = (catch spawn(fun() -> ok end)), io:format("~p ~p~n", [L, Why]), [P ! stop || P <- Ps], ' +
        // erl's logger prints the report a moment later: halting at once would lose it there
        'receive after 200 -> ok end, halt().',
    ]);
    expect(r.stdout).toMatch(/^2048 system_limit\n=ERROR REPORT==== \d+-\w+-\d+::\d+:\d+:\d+\.\d+ ===\nToo many processes\n\n\n$/);
  });
  it('halt/1 sets the exit status', async () => {
    const r = await runTerl(['-noshell', '-eval', 'halt(3).']);
    expect(r.code).toBe(3);
  });

  it('-s runs before a later -eval (kvs started, then used)', async () => {
    const r = await runTerl(['-noshell', '-s', 'kvs', 'start', '-eval', 'io:format("~p~n", [kvs:store(a, 1)]), halt().'], '', { cwd: examples });
    expect(r.stdout).toBe('true\n');
  });

  it('-run passes its arguments as strings, -s as atoms', async () => {
    const r = await runTerl(['-noshell', '-run', 'erlang', 'display', 'x', 'y', '-s', 'erlang', 'display', 'z', '-s', 'erlang', 'halt']);
    expect(r.stdout).toBe('["x","y"]\n[z]\n');
  });

  it('the boot process is <0.9.0>, linked to init and trapping exits as do_boot: a linked process that dies is a message', async () => {
    const r = await runTerl([
      '-noshell',
      '-eval',
      "spawn_link(fun() -> exit(x) end), receive {'EXIT', _, R} -> io:format(\"~p ~p ~p~n\", [R, self(), process_info(self(), [trap_exit, links])]) end, halt().",
    ]);
    expect(r.stdout).toBe('x <0.9.0> [{trap_exit,true},{links,[<0.0.0>]}]\n');
  });

  it('a boot process killed by a signal stops the node as init does', async () => {
    const r = await runTerl(['-noshell', '-eval', 'exit(self(), kill).']);
    expect(r.stdout).toBe('{"init terminating in do_boot",killed}\n');
    expect(r.stderr).toBe('init terminating in do_boot (killed)\n\n');
    expect(r.code).toBe(1);
  });

  it('exit(normal) ends the boot process and the node goes on, as erl does', async () => {
    const t = startTerl(['-noshell', '-eval', 'exit(normal).']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(t.child.exitCode).toBe(null);
      expect(t.output()).toBe('');
    } finally {
      await t.stop();
    }
  });

  it('a crash stops the node as init does', async () => {
    const r = await runTerl(['-noshell', '-eval', 'foo:bar().']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('{"init terminating in do_boot",{undef,[{foo,bar,[],[]}');
    expect(r.stderr).toContain('init terminating in do_boot ({undef,[{foo,bar,[],[]}');
  });
});

/** Each -eval of fixtures/boot/<name>.jsonl (recorded from erl 25 by gen.mjs beside it) prints and exits as erl did. */
function evalSuite(title: string, name: string): void {
  const cases = readFileSync(join(ROOT, 'test', 'fixtures', 'boot', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { eval: string; status: number; stdout: string; stderr: string });
  describe(title, () => {
    for (const c of cases) {
      it(c.eval, async () => {
        const r = await runTerl(['-noshell', '-eval', c.eval]);
        expect(r.stdout).toBe(c.stdout);
        expect(r.stderr).toBe(c.stderr);
        expect(r.code).toBe(c.status);
      });
    }
  });
}

// What erl 25 printed for each -eval that fails (do_boot.jsonl): erlang:display's line on stdout,
// init's cut-down text on stderr (erl's \r\n written \n, its crash dump line left out).
evalSuite('a failing -eval stops the node with the reason and the frames erl reports', 'do_boot');

// Stack traces of -eval code, caught or not (eval_traces.jsonl): erl_eval's frames for where the
// call is (an argument, a list's head, a match, an expression before the last), then init's, not the shell's.
evalSuite('traces of -eval code end in erl_eval and init frames as erl shows them', 'eval_traces');
