// Table tests for file, filename, init and code against real Erlang: each case is one line of
// Erlang expressions, evaluated in order in a fresh copy of the same directory tree, once by real
// erl (erl_eval, in a -noshell node whose working directory is its copy) and once by terl (the
// shell compiler, in this node, whose working directory is the other copy). Each outcome is
// written as `ok ~w` or `exc Class ~w` of the reason; the directory's own name, pids and refs are
// replaced by placeholders, so the two copies compare equal.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErlangException } from '../../../runtime/vm/exception.js';
import { setCwd } from '../../../runtime/vm/cwd.js';
import { initCodePath } from '../../../runtime/vm/code_path.js';
import { setFallbackSink } from '../../../runtime/lib/kernel/error_logger.js';
import { writeTerm } from '../../../runtime/lib/stdlib/format/term.js';
import { installLoader } from '../../../src/loader.js';
import { evalShell } from '../../compile/harness.js';

export const HAVE_ERL = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

/** Files (path → contents, bytes as latin1 text) and empty directories of a test tree. */
export interface Tree {
  files: Record<string, string>;
  dirs?: string[];
}

// a fixed modification time; access times stay recent and after it, so reading a file leaves them alone
const MTIME = new Date(Date.UTC(2021, 4, 6, 7, 8, 9));
const ATIME = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);

/** A new directory holding the tree. */
export function makeTree(prefix: string, tree: Tree): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const d of tree.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
  for (const [name, text] of Object.entries(tree.files)) {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(text, 'latin1'));
    utimesSync(file, ATIME, MTIME);
  }
  return dir;
}

/** The directory name as ~w shows it inside strings and binaries: its character codes, comma-separated. */
function normalise(text: string, dir: string): string {
  const codes = [...dir].map((c) => c.codePointAt(0)).join(',');
  return text
    .split(codes)
    .join('DIR')
    .replace(/<\d+\.\d+\.\d+>/g, '<PID>')
    .replace(/#Ref<[0-9.]+>/g, '#Ref');
}

const EVAL = `
  {ok, Bin} = file:read_file(os:getenv("TERL_CASES")),
  Cases = [L || L <- string:split(unicode:characters_to_list(Bin), "\\n", all), L =/= ""],
  Run = fun(Text) ->
      {ok, Tokens, _} = erl_scan:string(Text ++ "."),
      {ok, Exprs} = erl_parse:parse_exprs(Tokens),
      try erl_eval:exprs(Exprs, []) of
        {value, V, _} -> io_lib:format("ok ~w", [V])
      catch C:R -> io_lib:format("exc ~w ~w", [C, R])
      end
    end,
  [io:format("@@ ~s~n", [Run(C)]) || C <- Cases],
  halt().`;

/** The outcomes of the cases on real erl, run in `dir` (extra erl arguments before -eval; `rewrite` edits each outcome). */
export function erlOutcomes(dir: string, cases: string[], args: string[] = [], rewrite: (s: string) => string = (s) => s): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'terl-cases-')), 'cases.txt');
  writeFileSync(file, cases.map((c) => c + '\n').join(''));
  return new Promise((resolve, reject) => {
    const child = spawn('erl', ['-noshell', ...args, '-eval', EVAL], {
      cwd: dir,
      env: { ...process.env, TERL_CASES: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('@@ '))
        .map((l) => rewrite(normalise(l.slice(3), dir)));
      if (lines.length !== cases.length) reject(new Error(`erl gave ${lines.length} outcomes for ${cases.length} cases:\n${out}`));
      else resolve(lines);
    });
  });
}

/** terl's reports (code:load_file's not_purged, ...) would clutter the test output. */
export const reports: string[] = [];
setFallbackSink((text) => void reports.push(text));

/** Make this node work in `dir`, with the code path ["."] and the loader that compiles Mod.erl. */
export function enterTree(dir: string): void {
  setCwd(dir);
  initCodePath([], []);
  installLoader();
}

/** The outcome of one case on terl, in the node's current directory. */
export async function terlOutcome(text: string, dir: string): Promise<string> {
  try {
    const { value } = await evalShell(text + '.');
    return normalise('ok ' + writeTerm(value), dir);
  } catch (e) {
    if (e instanceof ErlangException) return normalise(`exc ${e.cls.name} ${writeTerm(e.reason)}`, dir);
    throw e;
  }
}
