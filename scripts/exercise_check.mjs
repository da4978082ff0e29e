// Runs an exercise collection's eunit tests on real erl and on terl and prints, per module, how
// many tests pass on each (issue 14's check). The collection stays outside this repository: give
// the path of a checkout of Learn You Some Erlang (or any tree laid out the same way: modules at
// the top, their tests in tests/<mod>_tests.erl; projects below with test/ or src/tests/, their
// dependencies found from their .app files).
// Usage: node scripts/exercise_check.mjs <checkout> [mod ...]   (build terl first: npm run build)
// Not part of `npm test`: it needs the checkout, erl, and a minute or two.

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const terl = join(root, 'bin', 'terl.js');
const [checkout, ...only] = process.argv.slice(2);
if (!checkout || !existsSync(join(checkout, 'tests'))) {
  console.error('usage: node scripts/exercise_check.mjs <checkout with tests/> [mod ...]');
  process.exit(2);
}

const files = (dir, re) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && re.test(f.name)).map((f) => join(dir, f.name)) : [];
const dirs = (dir) => readdirSync(dir, { withFileTypes: true }).filter((f) => f.isDirectory()).map((f) => f.name);

/** Every file of project P that a run needs beside its tests: modules, headers, data, .app files. */
function projectFiles(p) {
  return [
    ...files(p, /\.(erl|hrl|txt)$/),
    ...files(join(p, 'src'), /\.(erl|hrl)$/),
    ...files(join(p, 'include'), /\.hrl$/),
    ...files(join(p, 'ebin'), /\.app$/),
  ];
}

/** The sibling projects an OTP application lists in its .app (name-version folders; the same version when there is one). */
function dependencies(p) {
  const app = files(join(p, 'ebin'), /\.app$/).map((f) => readFileSync(f, 'utf8')).join('');
  const listed = /\{applications,\s*\[([^\]]*)\]/.exec(app)?.[1].split(',').map((a) => a.trim()) ?? [];
  const version = /-([\d.]+)$/.exec(basename(p))?.[1];
  const siblings = dirs(dirname(p));
  return listed.flatMap((name) => {
    const candidates = siblings.filter((s) => s.startsWith(`${name}-`)).sort();
    const pick = candidates.find((s) => s === `${name}-${version}`) ?? candidates.at(-1);
    return pick ? [join(dirname(p), pick)] : [];
  });
}

/** Suites: the top-level modules with tests/, and every folder below holding *_tests.erl (in test/, src/tests/ or beside its code). */
function suites() {
  const found = new Map();
  const walk = (dir) => {
    for (const d of dirs(dir)) walk(join(dir, d));
    const tests = files(dir, /_tests\.erl$/);
    if (!tests.length) return;
    const up = basename(dir);
    const project = up === 'test' ? dirname(dir) : up === 'tests' && basename(dirname(dir)) === 'src' ? dirname(dirname(dir)) : up === 'tests' && dir === join(checkout, 'tests') ? checkout : dir;
    const s = found.get(project) ?? { project, tests: [], helpers: [] };
    s.tests.push(...tests);
    s.helpers.push(...files(dir, /\.(erl|hrl|txt)$/));
    found.set(project, s);
  };
  walk(checkout);
  return [...found.values()]
    .map((s) => ({
      name: relative(checkout, s.project) || '.',
      files: [...new Set([...s.helpers, ...projectFiles(s.project), ...dependencies(s.project).flatMap(projectFiles)])],
      mods: s.tests.map((f) => basename(f, '.erl')).sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A fresh directory holding a suite's files side by side; for erl, compiled. */
function workDir(suite, tag) {
  const dir = mkdtempSync(join(tmpdir(), `exercise-${tag}-`));
  for (const f of suite.files) copyFileSync(f, join(dir, basename(f)));
  if (tag === 'erl') {
    // a module that erlc rejects simply has no beam; its tests then fail on erl too
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.erl'))) spawnSync('erlc', [f], { cwd: dir, stdio: 'ignore' });
  }
  return dir;
}

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
  const r = spawnSync(cmd, [...args, '-noshell', '-pa', '.', '-eval', `eunit:test(${mod}, [])`, '-s', 'init', 'stop'], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const s = summary(out);
  if (!s) return r.error ? 'timeout' : 'no result';
  return `${s.passed} passed${s.failed ? `, ${s.failed} failed` : ''}${s.cancelled ? ', cancelled' : ''}`;
}

const rows = [['suite', 'tests', 'erl', 'terl', '']];
for (const suite of suites()) {
  const mods = suite.mods.filter((m) => !only.length || only.includes(m.replace(/_tests$/, '')));
  if (!mods.length) continue;
  const erlDir = workDir(suite, 'erl');
  const terlDir = workDir(suite, 'terl');
  for (const mod of mods) {
    const onErl = run('erl', [], erlDir, mod);
    const onTerl = run('node', [terl], terlDir, mod);
    rows.push([suite.name, mod, onErl, onTerl, onErl === onTerl ? '' : 'DIFFERS']);
    console.error(`${suite.name} ${mod}: erl ${onErl}; terl ${onTerl}`);
  }
  execFileSync('rm', ['-rf', erlDir, terlDir]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
