// Memory beside erl, as the operating system sees it (resident set, /proc/<pid>/status):
//   million_processes        1,000,000 processes spawned at once, each sent one message and ended:
//                            the time (ratio terl / erl) and the node's peak resident memory (VmHWM)
//   epmd_memory              what the port mapper costs when a node finds none answering, beside
//                            erl's `epmd -daemon` (with that node registered), resident and private
//                            (the pages no other process shares: a daemon's copy of the node
//                            binary's code is shared with every other node on the host):
//     epmd_hosted_growth_*       terl serves it in the node's own process: how much more that
//                                process holds than the same node using a port mapper already there
//     epmd_handed_over_to_node_growth_*
//                                the node halts with a second terl node (of another process)
//                                registered: how much that node's process grows when it takes the
//                                port mapper over (as `epmd -daemon` outlives erl, it outlives the
//                                node that started it, served by the next)
//     epmd_handed_over_daemon_*  the node halts with a real erl node registered (erl installed): the
//                                daemon it is handed to, a Node process of its own
// Prints `name terl=... erl=... ratio=...` like bench/run.mjs (ratio = terl / erl).
// Usage: node bench/memory.mjs [million_processes | epmd_memory ...]

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answers, freePort } from './net.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const erlDir = join(root, 'bench', 'erl');
const terl = join(root, 'bin', 'terl.js');
const haveErl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;
const beamDir = mkdtempSync(join(tmpdir(), 'terl-bench-mem-'));
if (haveErl) execFileSync('erlc', ['-o', beamDir, join(erlDir, 'spawn_bench.erl')]);
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

/** A field of /proc/<pid>/status, in KiB. */
function statusKiB(pid, field) {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

/** Private pages (resident, shared with no other process), in KiB. */
function privateKiB(pid) {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/Private_Clean:\s+(\d+)/.exec(t)[1]) + Number(/Private_Dirty:\s+(\d+)/.exec(t)[1]);
  } catch {
    return NaN;
  }
}

const line = (name, t, e, unit, digits = 0) =>
  console.log(
    `${name} terl=${Number.isFinite(t) ? t.toFixed(digits) + unit : 'error'} erl=${e === undefined ? 'not installed' : Number.isFinite(e) ? e.toFixed(digits) + unit : 'error'} ratio=${e !== undefined && Number.isFinite(t) && Number.isFinite(e) ? (t / e).toFixed(2) : 'n/a'}`,
  );

// ---------- a million processes ----------

const MILLION = 1000000;

/**
 * spawn_bench:run/1 for a million on a node (every process spawned before any is sent its message,
 * so all are alive at once); its time, and the node's peak resident memory once it is done.
 */
function million(cmd, args) {
  return new Promise((resolve) => {
    const expr = `io:format("~p~n", [spawn_bench:run(${MILLION})]), receive after infinity -> ok end.`;
    // +P: room for a million processes at once, on both (erl's default limit is 262144, as terl's)
    const child = spawn(cmd, [...args, '+P', String(MILLION + 100000), '-noshell', '-eval', expr], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/m.exec(out);
      if (m) {
        const peakKiB = statusKiB(child.pid, 'VmHWM');
        child.kill('SIGKILL');
        resolve({ us: Number(m[1]), peakMiB: peakKiB / 1024 });
      }
    });
    child.on('exit', () => {
      if (err) process.stderr.write(err.split('\n').slice(-3).join('\n'));
      resolve({ us: NaN, peakMiB: NaN });
    });
  });
}

if (wanted('million_processes')) {
  const t = await million(process.execPath, [terl, '-pa', erlDir]);
  const e = haveErl ? await million('erl', ['-pa', beamDir]) : undefined;
  line('million_processes_time', t.us / 1000, e?.us / 1000, 'ms');
  line('million_processes_peak_memory', t.peakMiB, e?.peakMiB, 'MiB');
}

// ---------- the port mapper ----------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Pids of the processes that serve EPMD for `port`: epmd itself, or node running terl's epmd_daemon.cjs. */
function epmdPids(port) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => /^epmd/.test(a.split('/').pop()))) continue;
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`ERL_EPMD_PORT=${port}`)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const memoryOf = (pid) => ({ rss: statusKiB(pid, 'VmRSS') / 1024, own: privateKiB(pid) / 1024 });

function epmdEnv(port) {
  return { ...process.env, ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
}

/** A node with -sname that prints `up` and waits; resolves once it is up. */
async function startNode(cmd, args, name, env) {
  const node = spawn(cmd, [...args, '-sname', name, '-noshell', '-eval', 'io:format("up~n"), timer:sleep(infinity).'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => {
    node.stdout.on('data', (d) => String(d).includes('up') && resolve());
    node.on('exit', resolve);
  });
  return node;
}

function stopped(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

/** Stop whatever serves EPMD on port: KILL_REQ (`epmd -kill`), then the signal for what still answers. */
async function stopEpmd(port) {
  const { connect } = await import('node:net');
  await new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.end(Buffer.from([0, 1, 107])));
    sock.on('data', () => {});
    sock.on('close', resolve);
    sock.on('error', resolve);
  });
  await sleep(200);
  for (const pid of epmdPids(port)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** erl: start a node with -sname on a port nothing serves; measure the `epmd -daemon` it starts. */
async function erlEpmd() {
  const port = await freePort();
  const node = await startNode('erl', [], `benchmem${process.pid}`, epmdEnv(port));
  await sleep(1000);
  const [pid] = epmdPids(port);
  const r = pid === undefined ? { rss: NaN, own: NaN } : memoryOf(pid);
  await stopped(node);
  await stopEpmd(port);
  return r;
}

/** The terl node's own memory, serving the port mapper (a port nothing serves) or using one already there. */
async function terlNodeMemory(serving) {
  const port = await freePort();
  const env = epmdEnv(port);
  let daemon;
  if (!serving) {
    daemon = spawn(process.execPath, [join(root, 'dist', 'epmd_daemon.cjs')], { env, stdio: 'ignore' });
    while (!(await answers(port))) await sleep(50);
  }
  const node = await startNode(process.execPath, [terl], `benchmem${process.pid}`, env);
  await sleep(1500);
  const r = memoryOf(node.pid);
  await stopped(node);
  if (daemon) await stopped(daemon);
  return r;
}

/** terl: what serving the port mapper adds to the node's process (median of three pairs of runs). */
async function terlHostedGrowth() {
  const rss = [];
  const own = [];
  for (let i = 0; i < 3; i++) {
    const hosting = await terlNodeMemory(true);
    const using = await terlNodeMemory(false);
    rss.push(hosting.rss - using.rss);
    own.push(hosting.own - using.own);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  return { rss: median(rss), own: median(own) };
}

/** The names `NAMES_REQ` lists on port, or none while nothing answers. */
async function registeredNames(port) {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(Buffer.from([0, 1, 110])));
    sock.on('data', (d) => (got = Buffer.concat([got, d])));
    sock.on('close', () => resolve([...got.subarray(4).toString().matchAll(/^name (\S+) at port/gm)].map((m) => m[1])));
    sock.on('error', () => resolve([]));
  });
}

/** The host (a terl node serving the port mapper) leaves by SIGTERM, as erl's init:stop. */
async function hostLeaves(host) {
  host.kill('SIGTERM');
  await new Promise((resolve) => host.once('exit', resolve));
}

/** terl: how much a second terl node's process grows when it takes the port mapper over (median of three). */
async function terlTakeOverGrowth() {
  const rss = [];
  const own = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const env = epmdEnv(port);
    const host = await startNode(process.execPath, [terl], `benchhost${process.pid}`, env);
    const name = `benchheir${process.pid}`;
    const heir = await startNode(process.execPath, [terl], name, env);
    await sleep(1500);
    const before = memoryOf(heir.pid);
    await hostLeaves(host);
    // the heir serves the port mapper and is registered again with it
    const end = Date.now() + 10000;
    while (!(await registeredNames(port)).includes(name) && Date.now() < end) await sleep(50);
    await sleep(1500);
    const after = memoryOf(heir.pid);
    // a daemon instead of the heir would be no take-over
    const taken = epmdPids(port).length === 0 && (await registeredNames(port)).includes(name);
    rss.push(taken ? after.rss - before.rss : NaN);
    own.push(taken ? after.own - before.own : NaN);
    await stopped(heir);
    await stopEpmd(port);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  return { rss: median(rss), own: median(own) };
}

/** terl: the daemon the port mapper is handed to when its host halts with a real erl node registered. */
async function terlHandedOverDaemon() {
  if (!haveErl) return { rss: NaN, own: NaN };
  const port = await freePort();
  const env = epmdEnv(port);
  const host = await startNode(process.execPath, [terl], `benchhost${process.pid}`, env);
  const second = await startNode('erl', ['-start_epmd', 'false'], `benchother${process.pid}`, env);
  await hostLeaves(host);
  await sleep(1000);
  const [pid] = epmdPids(port);
  const r = pid === undefined ? { rss: NaN, own: NaN } : memoryOf(pid);
  await stopped(second);
  await stopEpmd(port);
  return r;
}

if (wanted('epmd_memory') || wanted('epmd_daemon_memory')) {
  const e = haveErl ? await erlEpmd() : undefined;
  const grown = await terlHostedGrowth();
  line('epmd_hosted_growth_memory', grown.rss, e?.rss, 'MiB', 1);
  line('epmd_hosted_growth_private_memory', grown.own, e?.own, 'MiB', 1);
  const taken = await terlTakeOverGrowth();
  line('epmd_handed_over_to_node_growth_memory', taken.rss, e?.rss, 'MiB', 1);
  line('epmd_handed_over_to_node_growth_private_memory', taken.own, e?.own, 'MiB', 1);
  const heir = await terlHandedOverDaemon();
  line('epmd_handed_over_daemon_memory', heir.rss, e?.rss, 'MiB', 1);
  line('epmd_handed_over_daemon_private_memory', heir.own, e?.own, 'MiB', 1);
}
