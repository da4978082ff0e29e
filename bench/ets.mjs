// ETS beside erl: 100,000 inserts then 100,000 lookups in a set and in an ordered_set, in a fresh
// node and warm (the third run in one node). Prints `name terl=... erl=... ratio=...` as bench/run.mjs.
// Usage: node bench/ets.mjs [name ...]

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const erlDir = join(root, 'bench', 'erl');
const terl = join(root, 'bin', 'terl.js');
const erl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;
const beamDir = mkdtempSync(join(tmpdir(), 'terl-bench-ets-'));
if (erl) execFileSync('erlc', ['-o', beamDir, join(erlDir, 'ets_bench.erl')]);

/** Evaluate `expr` (it prints microseconds) on a node; its number, or an error. */
function timeOn(system, expr) {
  const args = ['-noshell', '-eval', `io:format("~p~n", [${expr}]), halt().`];
  const r =
    system === 'terl'
      ? spawnSync(process.execPath, [terl, '-pa', erlDir, ...args], { encoding: 'utf8' })
      : spawnSync('erl', ['-pa', beamDir, ...args], { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  return { us: Number(r.stdout.trim().split('\n').pop()) };
}

const fmt = (r) => (r.error ? `error(${r.error})` : `${(r.us / 1000).toFixed(1)}ms`);
const only = process.argv.slice(2);
for (const type of ['set', 'ordered_set']) {
  const expr = `ets_bench:run(${type}, 100000)`;
  for (const [name, e] of [
    [`ets_${type}_insert_lookup_100k`, expr],
    [`ets_${type}_insert_lookup_100k_warm`, `lists:last([${expr} || _ <- lists:seq(1, 3)])`],
  ]) {
    if (only.length && !only.includes(name)) continue;
    const t = timeOn('terl', e);
    const x = erl ? timeOn('erl', e) : null;
    const ratio = x && !x.error && !t.error ? (t.us / x.us).toFixed(2) : 'n/a';
    console.log(`${name} terl=${fmt(t)} erl=${x ? fmt(x) : 'not installed'} ratio=${ratio}`);
  }
}
