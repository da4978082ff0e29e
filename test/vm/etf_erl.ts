// Ask real erl what term_to_binary/2 writes for a list of Erlang expressions (one erl run for all).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const haveErl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

export interface ErlCase {
  /** an Erlang expression */
  src: string;
  /** term_to_binary options, as Erlang source ('[]' when absent) */
  opts?: string;
}

/** Run Erlang expressions (separated by commas, no final period) in `erl -noshell` and return what they print. */
export function erlEval(program: string): string {
  // the program goes through a file: a long term list does not fit on a command line
  const dir = mkdtempSync(join(tmpdir(), 'terl-etf-'));
  try {
    const file = join(dir, 'prog.erl');
    writeFileSync(file, program + '.\n');
    const runner =
      `{ok, B} = file:read_file("${file}"), {ok, Ts, _} = erl_scan:string(unicode:characters_to_list(B)),` +
      `{ok, Es} = erl_parse:parse_exprs(Ts), erl_eval:exprs(Es, []), halt().`;
    return execFileSync('erl', ['-noshell', '-eval', runner], { encoding: 'utf8', maxBuffer: 1 << 26, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bytes term_to_binary(Src, Opts) gives for each case, in order. */
export function erlTermToBinary(cases: ErlCase[]): Uint8Array[] {
  const list = cases.map((c) => `{${c.src}, ${c.opts ?? '[]'}}`).join(',\n');
  const out = erlEval(`Ts = [${list}], [io:format("~w~n", [binary_to_list(term_to_binary(T, O))]) || {T, O} <- Ts]`);
  const lines = out.trim().split('\n');
  if (lines.length !== cases.length) throw new Error(`erl printed ${lines.length} lines for ${cases.length} terms:\n${out}`);
  return lines.map((l) => Uint8Array.from(JSON.parse(l) as number[]));
}
