// Load on one terl node: 100 callers × 1000 rpc:calls each, from a real erl node and from a terl
// node, several rounds. Prints per round the calls answered correctly (none may be lost), the
// time, and the terl server's resident memory after the round (flat: it must not grow round after
// round). Usage: npm run build && node bench/dist_load.mjs [rounds] [callers] [calls]

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { answers, freePort } from './net.mjs';
import { hostname } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const terl = join(root, 'bin', 'terl.js');
const host = hostname().split('.')[0];
const rounds = Number(process.argv[2] ?? 3);
const callers = Number(process.argv[3] ?? 100);
const calls = Number(process.argv[4] ?? 1000);
const haveErl = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const port = await freePort();
const env = { ...process.env, ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
children.push(spawn(process.execPath, [join(root, 'dist', 'epmd_daemon.cjs')], { env, stdio: 'ignore' }));
while (!(await answers(port))) await new Promise((r) => setTimeout(r, 50));

const server = spawn(process.execPath, [terl, '-sname', 'loadsrv', '-setcookie', 'load', '-noshell', '-eval', 'timer:sleep(infinity).'], { env, stdio: 'ignore' });
children.push(server);
await new Promise((r) => setTimeout(r, 2000));
const srv = `loadsrv@${host}`;

// every caller checks every answer: a lost or wrong reply is not counted
const expr =
  `pong = net_adm:ping('${srv}'), Self = self(), ` +
  `T0 = erlang:monotonic_time(millisecond), ` +
  `[spawn(fun() -> R = lists:foldl(fun(I, Ok) -> case rpc:call('${srv}', erlang, '+', [I, 1], 60000) of X when X =:= I + 1 -> Ok + 1; _ -> Ok end end, 0, lists:seq(1, ${calls})), Self ! {done, R} end) || _ <- lists:seq(1, ${callers})], ` +
  `Ok = lists:sum([receive {done, R} -> R end || _ <- lists:seq(1, ${callers})]), ` +
  `io:format("~p ~p~n", [Ok, erlang:monotonic_time(millisecond) - T0]), halt().`;

function client(system, name) {
  const [bin, args] =
    system === 'terl'
      ? [process.execPath, [terl, '-sname', name, '-setcookie', 'load', '-noshell', '-eval', expr]]
      : ['erl', ['-start_epmd', 'false', '-sname', name, '-setcookie', 'load', '-noshell', '-eval', expr]];
  const r = spawnSync(bin, args, { env, encoding: 'utf8', timeout: 900000 });
  const m = /(\d+) (\d+)\s*$/.exec(r.stdout);
  if (!m) return { error: (r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ') };
  return { ok: Number(m[1]), ms: Number(m[2]) };
}

console.log(`server ${srv}: ${rssMb(server.pid)} MB at start; ${callers} callers × ${calls} rpc:calls a round`);
console.log('client | round | answered | lost | seconds | calls/s | server MB after');
for (const system of haveErl ? ['erl', 'terl'] : ['terl']) {
  for (let round = 1; round <= rounds; round++) {
    const r = client(system, `load${system}${round}`);
    const mb = rssMb(server.pid);
    if (r.error) console.log(`${system} | ${round} | error: ${r.error}`);
    else {
      const total = callers * calls;
      console.log(`${system} | ${round} | ${r.ok} | ${total - r.ok} | ${(r.ms / 1000).toFixed(1)} | ${Math.round((total / r.ms) * 1000)} | ${mb}`);
    }
  }
}
process.exit(0);
