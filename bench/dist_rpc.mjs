// Cross-node rpc:call latency (median and 99th percentile of 10k calls) and throughput (1 and 10 concurrent callers,
// after warm-up passes; the 10 callers' first pass on a fresh node too; 10 callers making 5k calls
// after 2.2k on a fresh pair, as a class's demo would), and latency and 10 callers' throughput again
// while a busy loop per core keeps the machine's cores busy (a laptop running other programs):
// terl calling terl beside erl calling erl, each pair on loopback with its own port mapper, each row
// on a fresh pair of nodes.
// Prints `name terl=... erl=... ratio=...` like bench/run.mjs (ratio = terl / erl for latency,
// erl / terl for throughput: above 1 means terl is slower).
// Usage: node bench/dist_rpc.mjs [calls]

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { answers, freePort } from './net.mjs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const erlDir = join(root, 'bench', 'erl');
const terl = join(root, 'bin', 'terl.js');
const host = hostname().split('.')[0];
const calls = Number(process.argv[2] ?? 10000);
const WARMUP_PASSES = 3;
const haveErl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

const beamDir = mkdtempSync(join(tmpdir(), 'terl-bench-dist-'));
if (haveErl) execFileSync('erlc', ['-o', beamDir, join(erlDir, 'dist_rpc_bench.erl')]);

const children = [];
async function startEpmd() {
  const port = await freePort();
  const env = { ...process.env, ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
  children.push(spawn(process.execPath, [join(root, 'dist', 'epmd_daemon.cjs')], { env, stdio: 'ignore' }));
  while (!(await answers(port))) await new Promise((r) => setTimeout(r, 50));
  return env;
}

function cmd(system, args) {
  return system === 'terl' ? [process.execPath, [terl, '-pa', erlDir, ...args]] : ['erl', ['-start_epmd', 'false', '-pa', beamDir, ...args]];
}

/** A server node that just stays up. */
async function startServer(system, name, env) {
  const [bin, args] = cmd(system, ['-sname', name, '-setcookie', 'bench', '-noshell', '-eval', 'timer:sleep(infinity).']);
  const child = spawn(bin, args, { env, stdio: 'ignore' });
  children.push(child);
  // registered with EPMD once `epmd -names`-style NAMES lists it: just give it time and let the client's ping retry
  await new Promise((r) => setTimeout(r, system === 'terl' ? 1500 : 2000));
  return child;
}

function runClient(system, name, env, expr) {
  const [bin, args] = cmd(system, ['-sname', name, '-setcookie', 'bench', '-noshell', '-eval', `io:format("~p~n", [${expr}]), halt().`]);
  const r = spawnSync(bin, args, { env, encoding: 'utf8', timeout: 600000 });
  const n = Number(r.stdout.trim().split('\n').pop());
  if (!Number.isFinite(n)) return { error: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  return { n };
}

/** A busy loop on every core while `run` runs: other programs that want the whole machine. */
function whileCoresBusy(run) {
  const loops = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  try {
    return run();
  } finally {
    for (const l of loops) l.kill('SIGKILL');
  }
}

let pairs = 0;
/** One client run against a server node started for it: a fresh pair of nodes. */
async function onFreshPair(system, expr, busy = false) {
  const mark = children.length;
  const env = await startEpmd();
  const server = `benchsrv_${system}_${++pairs}`;
  await startServer(system, server, env);
  const node = `${server}@${host}`;
  const client = () => runClient(system, `benchcli_${system}_${pairs}`, env, expr(node));
  const r = busy ? whileCoresBusy(client) : client();
  // the pair and its port mapper
  for (const c of children.splice(mark)) c.kill('SIGKILL');
  return r;
}

async function measure(system) {
  const out = {};
  out.latency = await onFreshPair(system, (node) => `dist_rpc_bench:latency('${node}', ${calls})`);
  // the tail: a throughput of single calls is their mean, which slow calls set
  out.latencyP99 = await onFreshPair(system, (node) => `dist_rpc_bench:latency('${node}', ${calls}, 99)`);
  // Throughput is a sustained rate: each client first makes WARMUP_PASSES passes of the same calls
  // unmeasured (terl's JIT needs some 20k calls to settle; BEAM's code is compiled when loaded), and
  // the first pass of a fresh node is printed on a line of its own.
  const passes = (callers) => (node) =>
    `lists:last([dist_rpc_bench:throughput('${node}', ${callers}, ${calls}) || _ <- lists:seq(1, ${WARMUP_PASSES + 1})])`;
  out.tput1 = await onFreshPair(system, passes(1));
  out.tput10 = await onFreshPair(system, passes(10));
  out.tput10first = await onFreshPair(system, (node) => `dist_rpc_bench:throughput('${node}', 10, ${calls})`);
  // a demo's first seconds: 2.2k calls, then 5k measured
  const demo = (node) => `lists:last([dist_rpc_bench:throughput('${node}', 10, N) || N <- [2200, 5000]])`;
  out.tput10demo = await onFreshPair(system, demo);
  out.latencyBusy = await onFreshPair(system, (node) => `dist_rpc_bench:latency('${node}', ${calls})`, true);
  out.tput10busy = await onFreshPair(system, demo, true);
  return out;
}

function show(name, t, e, unit, lowerIsBetter) {
  const f = (r) => (r === undefined ? 'not installed' : r.error ? `error(${r.error})` : `${r.n}${unit}`);
  const ratio = t && e && !t.error && !e.error ? (lowerIsBetter ? t.n / e.n : e.n / t.n).toFixed(2) : 'n/a';
  console.log(`${name} terl=${f(t)} erl=${f(e)} ratio=${ratio}`);
}

try {
  const t = await measure('terl');
  const e = haveErl ? await measure('erl') : {};
  show(`dist_rpc_latency_median_of_${calls}`, t.latency, e.latency, 'us', true);
  show(`dist_rpc_latency_p99_of_${calls}`, t.latencyP99, e.latencyP99, 'us', true);
  show('dist_rpc_throughput_1_caller', t.tput1, e.tput1, '/s', false);
  show('dist_rpc_throughput_10_callers', t.tput10, e.tput10, '/s', false);
  show('dist_rpc_throughput_10_callers_first_pass', t.tput10first, e.tput10first, '/s', false);
  show('dist_rpc_throughput_10_callers_5k_after_2k', t.tput10demo, e.tput10demo, '/s', false);
  show(`dist_rpc_latency_median_of_${calls}_cores_busy`, t.latencyBusy, e.latencyBusy, 'us', true);
  show('dist_rpc_throughput_10_callers_5k_after_2k_cores_busy', t.tput10busy, e.tput10busy, '/s', false);
} finally {
  for (const c of children) c.kill('SIGKILL');
}
