// Runs an exercise collection's eunit tests on real erl and on terl and prints, per module, how
// many tests pass on each (issue 14's check). The collection stays outside this repository: give
// the path of a checkout of Learn You Some Erlang (or any tree laid out the same way: modules at
// the top, their tests in tests/<mod>_tests.erl).
// Usage: node scripts/exercise_check.mjs <checkout> [mod ...]   (build terl first: npm run build)
// Not part of `npm test`: it needs the checkout, erl, and a minute or two.

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const terl = join(root, 'bin', 'terl.js');
const [checkout, ...only] = process.argv.slice(2);
if (!checkout || !existsSync(join(checkout, 'tests'))) {
  console.error('usage: node scripts/exercise_check.mjs <checkout with tests/> [mod ...]');
  process.exit(2);
}

/** A fresh directory holding the checkout's top-level sources, data files and tests. */
function workDir(tag) {
  const dir = mkdtempSync(join(tmpdir(), `exercise-${tag}-`));
  for (const from of [checkout, join(checkout, 'tests')]) {
    for (const f of readdirSync(from, { withFileTypes: true })) {
      if (f.isFile() && /\.(erl|hrl|txt)$/.test(f.name)) copyFileSync(join(from, f.name), join(dir, f.name));
    }
  }
  return dir;
}

const mods = only.length
  ? only
  : readdirSync(join(checkout, 'tests'))
      .filter((f) => f.endsWith('_tests.erl'))
      .map((f) => f.slice(0, -'_tests.erl'.length))
      .sort();

const erlDir = workDir('erl');
for (const f of readdirSync(erlDir).filter((f) => f.endsWith('.erl'))) {
  // a module that erlc rejects simply has no beam; its tests then fail on erl too
  spawnSync('erlc', [f], { cwd: erlDir, stdio: 'ignore' });
}
const terlDir = workDir('terl');

/** eunit's summary line read as {passed, failed, cancelled}; undefined when there is none. */
function summary(out) {
  let m = /All (\d+) tests passed\./.exec(out) ?? /^\s*(\d+) tests passed\./m.exec(out);
  if (m) return { passed: +m[1], failed: 0, cancelled: false };
  if (/^\s*Test passed\./m.test(out)) return { passed: 1, failed: 0, cancelled: false };
  m = /Failed: (\d+)\.\s+Skipped: \d+\.\s+Passed: (\d+)\./.exec(out);
  if (m) return { passed: +m[2], failed: +m[1], cancelled: /cancelled/.test(out) };
  return undefined;
}

function run(cmd, args, cwd, mod) {
  const r = spawnSync(cmd, [...args, '-noshell', '-pa', '.', '-eval', `eunit:test(${mod}_tests, [])`, '-s', 'init', 'stop'], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const s = summary(out);
  if (!s) return r.error ? 'timeout' : 'no result';
  return `${s.passed} passed${s.failed ? `, ${s.failed} failed` : ''}${s.cancelled ? ', cancelled' : ''}`;
}

const rows = [['module', 'erl', 'terl', '']];
for (const mod of mods) {
  const onErl = run('erl', [], erlDir, mod);
  const onTerl = run('node', [terl], terlDir, mod);
  rows.push([mod, onErl, onTerl, onErl === onTerl ? '' : 'DIFFERS']);
  console.error(`${mod}: erl ${onErl}; terl ${onTerl}`);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
execFileSync('rm', ['-rf', erlDir, terlDir]);
