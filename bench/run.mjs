// Runs each workload on terl and, where `erl` is installed, on real Erlang in the same run,
// and prints `name terl=... erl=... ratio=...` (ratio = terl / erl: below 1 means terl is faster).
// Usage: node bench/run.mjs [name ...]   (a workload, or startup, terms_to_pipe_60k, memory_per_process,
// ets, dist_rpc, memory for those groups of rows)

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
  gen_server_call_100k: 'gen_server_bench:run(100000)',
  fib_27_compiled: 'fib:run(27)',
  binary_append_1m: 'binary_append_bench:run(1000000)',
  tcp_echo_100k: 'tcp_echo_bench:run(100000)',
  tcp_echo_active_100k: 'tcp_echo_bench:run(100000, active)',
  fib_27_shell_fun:
    'begin Fib = fun F(0) -> 0; F(1) -> 1; F(N) -> F(N - 1) + F(N - 2) end, T0 = erlang:monotonic_time(microsecond), Fib(27), erlang:monotonic_time(microsecond) - T0 end',
};

const only = process.argv.slice(2);
const fmt = (r) => (r.error ? `error(${r.error})` : `${(r.us / 1000).toFixed(1)}ms`);

// Each of these also runs warm: the third run in one node, so terl's JIT has settled (the first
// line of each is the first run in a fresh node, where it has not; BEAM's code is compiled at load).
const warmed = new Set(['ring_1000x1000', 'ring_100000x10', 'spawn_100k', 'kvs_request_reply_100k', 'gen_server_call_100k']);
const runs = [];
for (const [name, expr] of Object.entries(workloads)) {
  runs.push([name, expr]);
  if (warmed.has(name)) runs.push([`${name}_warm`, `lists:last([${expr} || _ <- lists:seq(1, 3)])`]);
}

// Each row is the best of three fresh nodes on each side (one for the long tcp rows): a single run
// of a few milliseconds moved by half its time from one run to the next on either side.
const tries = (name) => (name.startsWith('tcp_echo') ? 1 : 3);
const bestOn = (system, name, expr) => {
  let best;
  for (let i = 0; i < tries(name); i++) {
    const r = timeOn(system, expr);
    if (r.error) return r;
    if (best === undefined || r.us < best.us) best = r;
  }
  return best;
};
for (const [name, expr] of runs) {
  if (only.length && !only.includes(name)) continue;
  const t = bestOn('terl', name, expr);
  const e = erl ? bestOn('erl', name, expr) : null;
  const ratio = e && !e.error && !t.error ? (t.us / e.us).toFixed(2) : 'n/a';
  console.log(`${name} terl=${fmt(t)} erl=${e ? fmt(e) : 'not installed'} ratio=${ratio}`);
}

// Printing: 60,000 terms written with io:format to a pipe (what `| head`, `| grep` or a file sees),
// from the start of the node to its exit, so the io server, the formatting, the passing of the text
// to where it is written and the writes themselves all count; best of three.
if (!only.length || only.includes('terms_to_pipe_60k')) {
  const expr = '[io:format("~p~n", [{I, [I, I * 2], <<"abc">>, "str", atom}]) || I <- lists:seq(1, 60000)], halt().';
  const wallMs = (cmd, args) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, [...args, '-noshell', '-eval', expr], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status === 0 && r.stdout.length > 0) best = Math.min(best, ms);
    }
    return best;
  };
  const t = wallMs(process.execPath, [terl]);
  const e = erl ? wallMs('erl', []) : null;
  console.log(`terms_to_pipe_60k terl=${t.toFixed(0)}ms erl=${e ? e.toFixed(0) + 'ms' : 'not installed'} ratio=${e ? (t / e).toFixed(2) : 'n/a'}`);
}

// Memory per process: the growth of the node's resident memory when 100,000 processes wait in
// receive, divided by 100,000 (what the operating system sees, on both sides).
if (!only.length || only.includes('memory_per_process')) {
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const N = 100000;
  const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  const expr =
    'io:format("base~n"), receive after 1000 -> ok end, ' +
    `Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, ${N})], ` +
    'erlang:garbage_collect(), io:format("ready~n"), receive after 2000 -> ok end, [P ! stop || P <- Ps], halt().';
  const perProcess = (cmd, args) =>
    new Promise((resolve) => {
      const child = spawn(cmd, [...args, '-noshell', '-eval', expr], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      let base = NaN;
      child.stdout.setEncoding('utf8').on('data', (d) => {
        const had = out;
        out += d;
        // the node has settled after its boot: its memory before the processes
        if (!had.includes('base') && out.includes('base')) setTimeout(() => (base = rss(child.pid)), 800);
        if (!had.includes('ready') && out.includes('ready'))
          setTimeout(() => {
            const grown = rss(child.pid) - base;
            child.kill('SIGKILL');
            resolve(grown / N);
          }, 300);
      });
      child.on('exit', () => resolve(NaN));
    });
  const t = await perProcess(process.execPath, [terl]);
  const e = erl ? await perProcess('erl', []) : null;
  console.log(
    `memory_per_process_100k terl=${t.toFixed(0)}B erl=${e ? e.toFixed(0) + 'B' : 'not installed'} ratio=${e ? (t / e).toFixed(2) : 'n/a'}`,
  );
}

// Startup to the first prompt (piped, as a script would see it) and halt: the time to the prompt
// plus the time from typing `halt().` to the exit; and the memory of the idle node at its prompt,
// with and without -sname, and through `npx terl` (an installed package, as a class starts it);
// beside erl. Each on its own EPMD port, stopped afterwards.
if (!only.length || only.includes('startup')) {
  const { spawn } = await import('node:child_process');
  const { readFileSync, mkdirSync, symlinkSync } = await import('node:fs');
  const { createServer } = await import('node:net');
  const freePort = () =>
    new Promise((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
      });
    });
  const rssKiB = (pid) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    } catch {
      return NaN;
    }
  };
  const toPrompt = (cmd, args, env, cwd = undefined) =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      let promptMs = NaN;
      let mib = NaN;
      let halting;
      child.stdout.setEncoding('utf8').on('data', (d) => {
        out += d;
        if (/^(\([^)]*\))?1> /m.test(out) && !child.done) {
          child.done = true;
          promptMs = Number(process.hrtime.bigint() - t0) / 1e6;
          // let the node settle, read its resident memory, then halt it
          setTimeout(() => {
            mib = rssKiB(child.pid) / 1024;
            halting = process.hrtime.bigint();
            child.stdin.end('halt().\n');
          }, 500);
        }
      });
      child.on('exit', () => {
        if (halting === undefined) return resolve({ ms: NaN, mib: NaN });
        resolve({ ms: promptMs + Number(process.hrtime.bigint() - halting) / 1e6, mib });
      });
    });
  const best = async (cmd, args, env, cwd = undefined) => {
    let r = { ms: Infinity, mib: NaN };
    for (let i = 0; i < 3; i++) {
      const x = await toPrompt(cmd, args, env, cwd);
      if (x.ms < r.ms) r = x;
    }
    return r;
  };
  const port = await freePort();
  const env = { ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
  // `npx terl` where terl is installed: a project whose node_modules holds this package and its bin
  const project = mkdtempSync(join(tmpdir(), 'terl-bench-npx-'));
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, join(project, 'node_modules', 'terl'));
  symlinkSync(join('..', 'terl', 'bin', 'terl.js'), join(project, 'node_modules', '.bin', 'terl'));
  const rows = [
    ['startup_to_prompt_and_halt', [process.execPath, [terl]], []],
    ['startup_to_prompt_and_halt_sname', [process.execPath, [terl, '-sname', 'benchstart']], ['-sname', 'benchstart']],
    ['startup_to_prompt_and_halt_npx', ['npx', ['--no', 'terl'], project], []],
  ];
  for (const [name, [tcmd, targs, cwd], eargs] of rows) {
    const t = await best(tcmd, targs, env, cwd);
    const e = erl ? await best('erl', eargs, env) : null;
    console.log(
      `${name} terl=${t.ms.toFixed(0)}ms erl=${e ? e.ms.toFixed(0) + 'ms' : 'not installed'} ratio=${e ? (t.ms / e.ms).toFixed(2) : 'n/a'}`,
    );
    // through npx the process is npm's: the node's memory is the rows above
    if (cwd !== undefined) continue;
    console.log(
      `${name.replace('startup_to_prompt_and_halt', 'idle_memory')} terl=${t.mib.toFixed(0)}MiB erl=${e ? e.mib.toFixed(0) + 'MiB' : 'not installed'} ratio=${e ? (t.mib / e.mib).toFixed(2) : 'n/a'}`,
    );
  }
  // the -sname runs started a port mapper on this port (terl's, or erl's epmd): stop it
  spawnSync('epmd', ['-kill'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const { connect } = await import('node:net');
  await new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.end(Buffer.from([0, 1, 107])));
    sock.on('data', () => {});
    sock.on('close', resolve);
    sock.on('error', resolve);
  });
}

// The rows that live in scripts of their own: ets (bench/ets.mjs), cross-node rpc:call
// (bench/dist_rpc.mjs) and memory (bench/memory.mjs: a million processes, what the port mapper costs).
for (const [name, script] of [
  ['ets', 'ets.mjs'],
  ['dist_rpc', 'dist_rpc.mjs'],
  ['memory', 'memory.mjs'],
]) {
  if (only.length && !only.includes(name)) continue;
  spawnSync(process.execPath, [join(root, 'bench', script)], { stdio: 'inherit' });
}
