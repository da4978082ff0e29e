// Memory beside erl, as the operating system sees it (resident set, /proc/<pid>/status):
//   million_processes        1,000,000 processes spawned at once, each sent one message and ended:
//                            the time (ratio terl / erl) and the node's peak resident memory (VmHWM)
//   epmd_daemon_memory       the port mapper a node starts when none answers (terl's daemon, erl's
//                            `epmd -daemon`), with that node registered: resident, and private (the
//                            pages no other process shares: a daemon's copy of the node binary's
//                            code is shared with every other node on the host)
// Prints `name terl=... erl=... ratio=...` like bench/run.mjs (ratio = terl / erl).
// Usage: node bench/memory.mjs [name ...]

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

// ---------- the port mapper's daemon ----------

/** The pid of the process that serves EPMD on `port`: a port mapper started with ERL_EPMD_PORT=port. */
function epmdPid(port) {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // epmd itself, or node (and its flags) running terl's epmd_daemon.cjs
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => /^epmd/.test(a.split('/').pop()))) continue;
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`ERL_EPMD_PORT=${port}`)) return Number(d);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/** Start a node with -sname on a port nothing serves, so it starts its port mapper; measure that daemon. */
async function daemonMemory(cmd, args) {
  const port = await freePort();
  const env = { ...process.env, ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
  const node = spawn(cmd, [...args, '-sname', `benchmem${process.pid}`, '-noshell', '-eval', 'io:format("up~n"), timer:sleep(infinity).'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise((resolve) => {
    node.stdout.on('data', (d) => String(d).includes('up') && resolve());
    node.on('exit', resolve);
  });
  // let the daemon settle with the node registered
  await new Promise((r) => setTimeout(r, 1000));
  const pid = epmdPid(port);
  const r = pid === undefined ? { rss: NaN, own: NaN } : { rss: statusKiB(pid, 'VmRSS') / 1024, own: privateKiB(pid) / 1024 };
  node.kill('SIGKILL');
  // stop the daemon: KILL_REQ (`epmd -kill`), and the signal if it still answers
  spawnSync('epmd', ['-kill'], { env, stdio: 'ignore' });
  await new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const sock = connect({ host: '127.0.0.1', port }, () => sock.end(Buffer.from([0, 1, 107])));
      sock.on('data', () => {});
      sock.on('close', resolve);
      sock.on('error', resolve);
    });
  });
  if (pid !== undefined && (await answers(port))) process.kill(pid, 'SIGKILL');
  return r;
}

if (wanted('epmd_daemon_memory')) {
  const t = await daemonMemory(process.execPath, [terl]);
  const e = haveErl ? await daemonMemory('erl', []) : undefined;
  line('epmd_daemon_memory', t.rss, e?.rss, 'MiB', 1);
  line('epmd_daemon_private_memory', t.own, e?.own, 'MiB', 1);
}
