// The shell commands whose figures change from run to run (i/0, regs/0, m/0,1, uptime/0, bt/1), so
// they cannot be transcripts: their layout is checked against what erl 25 printed (the header
// lines below are erl's, copied from `echo 'i().' | erl` and friends), their numbers for being real.

import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { ROOT, runTerl } from '../../../helpers/terl.js';

const STDLIB = join(ROOT, 'test', 'lib', 'stdlib');

async function shell(lines: string[]): Promise<{ out: string; err: string }> {
  const r = await runTerl([], lines.join('\n') + '\n', { cwd: STDLIB });
  return { out: r.stdout, err: r.stderr };
}

/** What one command printed: the text between its prompt and the next. */
function printed(out: string, n: number): string {
  const start = out.indexOf(`${n}> `);
  const end = out.indexOf(`\n${n + 1}> `);
  return out.slice(start + `${n}> `.length, end + 1);
}

describe('i/0 and ni/0', () => {
  it('list every process in erl’s two-line layout, with real figures and the totals under them', async () => {
    const { out } = await shell(['i().', 'ni().', 'length(processes()).']);
    for (const n of [1, 2]) {
      const lines = printed(out, n).split('\n');
      // erl 25's header, exactly
      expect(lines[0]).toBe('Pid                   Initial Call                          Heap     Reds Msgs');
      expect(lines[1]).toBe('Registered            Current Function                     Stack              ');
      expect(lines[lines.length - 2]).toBe('ok');
      const rows = lines.slice(2, -4);
      const count = Number(printed(out, 3).trim());
      expect(rows.length).toBe(2 * count);
      for (let k = 0; k < rows.length; k += 2) {
        // ~-21ts ~-33ts ~8s ~8s ~4s
        expect(rows[k]).toMatch(/^<0\.\d+\.0> +[a-z_]+:[a-z_]+\/\d+ +\d+ +\d+ +\d+$/);
        expect(rows[k + 1]).toMatch(/^[a-z_]* +[a-z_]+:[a-z_]+\/\d+ +\d+ {14}$/);
      }
      expect(rows).toContain('user                  user:server_loop/2                       1              ');
      const reds = rows.filter((_, k) => k % 2 === 0).map((r) => Number(r.split(/ +/)[3]));
      expect(reds.every((r) => r > 0)).toBe(true);
      const total = lines[lines.length - 4]!;
      expect(total).toMatch(/^Total {55}[ \d]{5} +\d+ +\d+$/);
      expect(Number(total.split(/ +/)[2])).toBe(reds.reduce((a, b) => a + b, 0));
    }
  });
});

describe('i/0 on a process proc_lib started', () => {
  it('shows the call it was started with and the function it waits in, as erl does', async () => {
    const { out } = await shell(['{ok, P} = gen_event:start(), io:format("~p~n", [P]), i().']);
    const lines = printed(out, 1).split('\n');
    const pid = lines[0]!;
    const at = lines.findIndex((l) => l.startsWith(pid + ' '));
    // erl 25: <0.83.0>              gen_event:init_it/6                    233       27    0
    //                               gen_event:fetch_msg/6                   11
    expect(lines[at]).toMatch(new RegExp(`^${pid.replace(/\./g, '\\.')} +gen_event:init_it/6 +\\d+ +\\d+ +0$`));
    expect(lines[at + 1]).toMatch(/^ {22}gen_event:fetch_msg\/6 +\d+ {14}$/);
  });
});

describe('regs/0 and nregs/0', () => {
  it('list the registered processes sorted by name, as erl formats them', async () => {
    const { out } = await shell(['regs().', 'nregs().']);
    for (const n of [1, 2]) {
      const lines = printed(out, n).split('\n');
      expect(lines.slice(0, 3)).toEqual([
        '',
        '** Registered procs on node nonode@nohost **',
        'Name                  Pid          Initial Call                      Reds Msgs',
      ]);
      const rows = lines.slice(3, lines.indexOf(''  , 3));
      expect(rows.map((r) => r.split(' ')[0])).toEqual(['init', 'logger', 'standard_error', 'user']);
      // ~-21ts ~-12s ~-25ts ~12s ~4s
      for (const r of rows) expect(r).toMatch(/^[a-z_]{1,21} +<0\.\d+\.0> +[a-z_]+:[a-z_]+\/\d+ +\d+ +\d+$/);
      expect(rows[3]!.slice(0, 35)).toBe('user                  <0.66.0>     ');
      expect(lines.slice(-4)).toEqual(['** Registered ports on node nonode@nohost **', 'Name                  Id              Command                                 ', 'ok', '']);
    }
  });
});

describe('m/0 and m/1', () => {
  it('m() lists the loaded modules: terl’s built-in ones are preloaded, compiled ones name their source', async () => {
    const { out } = await shell(['c(shell_good).', 'm().']);
    const lines = printed(out, 2).split('\n');
    expect(lines[0]).toBe('Module                File');
    expect(lines).toContain('lists                 preloaded');
    expect(lines.find((l) => l.startsWith('shell_good '))).toBe(`shell_good            ${join(STDLIB, 'shell_good.erl')}`);
    const names = lines.slice(1, -2).map((l) => l.split(' ')[0]!);
    expect(names).toEqual([...names].sort());
  });

  it('m(Mod) shows the module’s md5, file, options and exports', async () => {
    const { out } = await shell(['c(shell_good).', 'm(shell_good).', 'm(nosuch).']);
    const lines = printed(out, 2).split('\n');
    expect(lines[0]).toBe('Module: shell_good');
    expect(lines[1]).toMatch(/^MD5: [0-9a-f]{1,32}$/);
    expect(lines.slice(2)).toEqual([
      `Object file: ${join(STDLIB, 'shell_good.erl')}`,
      'Compiler options:  []',
      'Exports: ',
      '         add/2',
      '         module_info/0',
      '         module_info/1',
      'ok',
      '',
    ]);
    expect(printed(out, 3)).toMatch(/^\*\* exception error: undefined function nosuch:module_info\/0\n     in function  c:m\/1 \(c\.erl, line \d+\)\n$/);
  });

  it('m(Mod) puts more than 16 exports in two columns', async () => {
    const { out } = await shell(['m(c).']);
    const lines = printed(out, 1).split('\n');
    const at = lines.indexOf('Exports: ');
    expect(lines[at + 1]).toMatch(/^appcall\/4 {21}[a-z_]+\/\d$/);
  });
});

describe('uptime/0, bt/1, memory/0, xm/1', () => {
  it('uptime() counts seconds since the node started', async () => {
    const { out } = await shell(['uptime().']);
    expect(printed(out, 1)).toMatch(/^\d+ seconds\nok\n$/);
  });

  it('bt(Pid) prints where the process is to standard error; undefined for a dead pid', async () => {
    const { out, err } = await shell(['bt(whereis(user)).', 'bt(c:pid(0,999,0)).']);
    expect(printed(out, 1)).toBe('ok\n');
    expect(printed(out, 2)).toBe('undefined\n');
    expect(err).toBe('Program counter: user:server_loop/2\n');
  });

  it('memory() answers erl’s keys with real figures that add up as OTP’s do', async () => {
    const { out } = await shell(['M = memory(), [{K, is_integer(V) andalso V > 0} || {K, V} <- M].', 'proplists:get_value(total, M) =:= proplists:get_value(processes, M) + proplists:get_value(system, M).']);
    expect(printed(out, 1).replace(/\s+/g, '')).toBe(
      '[{total,true},{processes,true},{processes_used,true},{system,true},{atom,true},{atom_used,true},{binary,true},{code,true},{ets,false}]',
    );
    expect(printed(out, 2)).toBe('true\n');
  });

  it('xm/1 says xref is not there, as erl says it without the tools application', async () => {
    const { out } = await shell(['xm(shell_good).']);
    expect(printed(out, 1)).toBe('Call to xref:m/1 in application tools failed.\nok\n');
  });
});
