// The runtime's own workloads (bench/runtime_procs.ts: processes written as TypeScript generators,
// no compiler involved) beside the same workloads on real erl, best of 3 runs each:
//   name terl=...ms erl=...ms ratio=...   (ratio = terl / erl: below 1 means terl is faster)
// Usage: node bench/runtime_procs.mjs [name ...]

import { build } from 'esbuild';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'terl-runtime-bench-'));
const bundle = join(dir, 'runtime_procs.mjs');
await build({
  absWorkingDir: root,
  entryPoints: ['bench/runtime_procs.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: bundle,
  packages: 'external',
  logLevel: 'warning',
});

const only = process.argv.slice(2);
const erlWork = {
  ring_1000x1000: 'ring:run(1000, 1000)',
  ring_100000x10: 'ring:run(100000, 10)',
  spawn_100k: 'spawn_bench:run(100000)',
  request_reply_1M: 'runtime_echo:run(1000000)',
};

const t = spawnSync(process.execPath, [bundle, ...only], { encoding: 'utf8' });
if (t.status !== 0) {
  console.error(t.stdout + t.stderr);
  process.exit(1);
}
const terl = Object.fromEntries(
  t.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([n, us]) => [n, Number(us)]),
);

const hasErl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;
if (hasErl) execFileSync('erlc', ['-o', dir, ...['ring', 'spawn_bench', 'runtime_echo'].map((m) => join(root, 'bench', 'erl', m + '.erl'))]);

function erlBest(expr) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('erl', ['-noshell', '-pa', dir, '-eval', `io:format("~p~n", [${expr}]), halt().`], { encoding: 'utf8' });
    best = Math.min(best, Number(r.stdout.trim()));
  }
  return best;
}

for (const [name, us] of Object.entries(terl)) {
  const e = hasErl && erlWork[name] ? erlBest(erlWork[name]) : NaN;
  const ratio = Number.isFinite(e) ? (us / e).toFixed(2) : 'n/a';
  console.log(`${name} terl=${(us / 1000).toFixed(1)}ms erl=${Number.isFinite(e) ? (e / 1000).toFixed(1) + 'ms' : 'n/a'} ratio=${ratio}`);
}
