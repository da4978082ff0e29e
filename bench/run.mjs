// Runs each workload on terl and, where `erl` is installed, on real Erlang in the same run,
// and prints `name terl=... erl=... ratio=...` (ratio = terl / erl: below 1 means terl is faster).
// Usage: node bench/run.mjs [name ...]

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const erlDir = join(root, 'bench', 'erl');
const terl = join(root, 'bin', 'terl.js');

function hasErl() {
  return spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;
}

const beamDir = mkdtempSync(join(tmpdir(), 'terl-bench-'));
const erl = hasErl();
if (erl) {
  for (const f of readdirSync(erlDir).filter((f) => f.endsWith('.erl'))) {
    execFileSync('erlc', ['-o', beamDir, join(erlDir, f)]);
  }
}

/** Evaluate `expr` (which prints one number: microseconds) on a node; returns that number, or the wall time for null. */
function timeOn(system, expr, extraArgs = []) {
  const args = ['-noshell', ...extraArgs, '-eval', `io:format("~p~n", [${expr}]), halt().`];
  const t0 = process.hrtime.bigint();
  const r =
    system === 'terl'
      ? spawnSync(process.execPath, [terl, '-pa', erlDir, ...args], { encoding: 'utf8' })
      : spawnSync('erl', ['-pa', beamDir, ...args], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  if (r.status !== 0) return { error: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  const n = Number(r.stdout.trim().split('\n').pop());
  return { us: Number.isFinite(n) ? n : wall, wall };
}

const workloads = {
  ring_1000x1000: 'ring:run(1000, 1000)',
  ring_100000x10: 'ring:run(100000, 10)',
  spawn_100k: 'spawn_bench:run(100000)',
  kvs_request_reply_100k: 'kvs_bench:run(100000)',
  fib_27_compiled: 'fib:run(27)',
  fib_27_shell_fun:
    'begin Fib = fun F(0) -> 0; F(1) -> 1; F(N) -> F(N - 1) + F(N - 2) end, T0 = erlang:monotonic_time(microsecond), Fib(27), erlang:monotonic_time(microsecond) - T0 end',
};

const only = process.argv.slice(2);
const fmt = (r) => (r.error ? `error(${r.error})` : `${(r.us / 1000).toFixed(1)}ms`);

for (const [name, expr] of Object.entries(workloads)) {
  if (only.length && !only.includes(name)) continue;
  const t = timeOn('terl', expr);
  const e = erl ? timeOn('erl', expr) : null;
  const ratio = e && !e.error && !t.error ? (t.us / e.us).toFixed(2) : 'n/a';
  console.log(`${name} terl=${fmt(t)} erl=${e ? fmt(e) : 'not installed'} ratio=${ratio}`);
}

// Startup to the first prompt, and idle memory: whole-process measurements.
if (!only.length || only.includes('startup')) {
  const runs = 5;
  const measure = (cmd, args) => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(cmd, args, { stdio: 'ignore' });
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
  };
  const t = measure(process.execPath, [terl, '-noshell', '-eval', 'halt().']);
  const e = erl ? measure('erl', ['-noshell', '-eval', 'halt().']) : NaN;
  console.log(`startup terl=${t.toFixed(0)}ms erl=${erl ? e.toFixed(0) + 'ms' : 'not installed'} ratio=${erl ? (t / e).toFixed(2) : 'n/a'}`);
}
