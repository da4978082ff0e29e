// Module timer (stdlib): sleep, tc, send_after/apply_after and the interval timers, cancel, and the
// unit helpers. Return values follow OTP 25's timer.erl: {ok, {send_local, Ref}} for a local pid,
// {ok, {instant, Ref}} for time 0, {ok, {once, Ref}} / {ok, {interval, Ref}} for the timer server's
// timers, {error, badarg} for bad arguments. The timer server itself is a table here, not a process.

import { Atom, Fun, Pid, Ref, Term, Tuple, atom, isInteger, list, listToArray, normInt, tuple, OK, NIL } from '../../vm/term.js';
import { TailCall, wait, callFun } from '../../vm/abi.js';
import { erlError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { CallbackTimer, addTimer, removeTimer } from '../../vm/timers.js';
import { exitSignal } from '../../vm/signals.js';
import { receive } from '../../vm/receive.js';
import { startTimer, cancelTimer } from '../erts/processes.js';

const A = {
  ok: OK,
  error: atom('error'),
  badarg: atom('badarg'),
  cancel: atom('cancel'),
  instant: atom('instant'),
  send_local: atom('send_local'),
  once: atom('once'),
  interval: atom('interval'),
  infinity: atom('infinity'),
  timeout_value: atom('timeout_value'),
  kill: atom('kill'),
};

const BADARG = tuple(A.error, A.badarg);

function validTime(t: Term): t is number {
  return typeof t === 'number' && Number.isInteger(t) && t >= 0;
}

function validMFA(m: Term, f: Term, a: Term): boolean {
  return m instanceof Atom && f instanceof Atom && listToArray(a) !== undefined;
}

/** Dest ! Msg, quietly: a timer's send never raises in the caller. */
function quietSend(dest: Term, msg: Term): void {
  try {
    node.send(dest, msg);
  } catch {
    // timer.erl does `catch send(A)`
  }
}

/** Run M:F(A) in a new process, as timer's do_apply does. */
function spawnApply(m: Atom, f: Atom, args: Term[]): void {
  node.spawnMFA(m, f, args);
}

// ---------- one-shot and interval timers of the "timer server" ----------

const serverTimers = new Map<string, CallbackTimer>();
const key = (ref: Ref) => ref.ids.join('.');

function once(ms: number, action: () => void): Term {
  const ref = node.makeRef();
  const t = new CallbackTimer(() => {
    serverTimers.delete(key(ref));
    action();
  });
  serverTimers.set(key(ref), t);
  addTimer(t, performance.now() + ms);
  return tuple(A.ok, tuple(A.once, ref));
}

/** Every `ms` (without drift) while `watched` lives: action(). */
function interval(ms: number, watched: Pid, action: () => void): Term {
  const ref = node.makeRef();
  let next = performance.now() + ms;
  const t = new CallbackTimer(() => {
    if (node.process(watched) === undefined) {
      serverTimers.delete(key(ref));
      return;
    }
    next += ms;
    addTimer(t, next);
    action();
  });
  serverTimers.set(key(ref), t);
  addTimer(t, next);
  return tuple(A.ok, tuple(A.interval, ref));
}

function resolvePid(dest: Term): Pid | undefined {
  if (dest instanceof Pid) return dest;
  if (dest instanceof Atom) return node.whereis(dest)?.pid;
  return undefined;
}

function sendAfter(time: Term, dest: Term, msg: Term): Term {
  const isDest =
    dest instanceof Pid ||
    dest instanceof Atom ||
    (dest instanceof Tuple && dest.elements.length === 2 && dest.elements[0] instanceof Atom && dest.elements[1] instanceof Atom);
  if (time === 0 && isDest) {
    // sent at once by the caller: an unregistered name is its badarg, as in timer.erl
    node.send(dest, msg, S.current.pid);
    return tuple(A.ok, tuple(A.instant, node.makeRef()));
  }
  if (!validTime(time) || !isDest) return BADARG;
  if (dest instanceof Pid && node.isLocal(dest)) return tuple(A.ok, tuple(A.send_local, startTimer(time, dest, () => msg)));
  return once(time, () => quietSend(dest, msg));
}

function applyAfter(time: Term, m: Term, f: Term, a: Term): Term {
  if (!validMFA(m, f, a)) return BADARG;
  const args = listToArray(a)!;
  if (time === 0) {
    spawnApply(m as Atom, f as Atom, args);
    return tuple(A.ok, tuple(A.instant, node.makeRef()));
  }
  if (!validTime(time)) return BADARG;
  return once(time, () => spawnApply(m as Atom, f as Atom, args));
}

/** The timer server's pid: exit_after's signals come from it, as in OTP. Started on first use. */
let timerServer: Pid | undefined;
function timerServerPid(): Pid {
  if (timerServer === undefined || node.process(timerServer) === undefined) {
    const p = node.spawn(function* () {
      for (;;) yield* receive(() => undefined);
    }, []);
    node.register(atom('timer_server'), p);
    timerServer = p.pid;
  }
  return timerServer;
}

/** exit_after: at time 0 the caller sends the signal itself; later the timer server does. */
function exitAfter(time: Term, target: Term, reason: Term): Term {
  if (!validTime(time)) return BADARG;
  const signal = (from: Pid) => {
    const to = resolvePid(target);
    const q = to === undefined ? undefined : node.process(to);
    if (q !== undefined) exitSignal(from, q, reason, false);
  };
  if (time === 0) {
    signal(S.current.pid);
    return tuple(A.ok, tuple(A.instant, node.makeRef()));
  }
  const server = timerServerPid();
  return once(time, () => signal(server));
}

defineGenBif('timer', 'send_after', 3, function* (t: Term, d: Term, m: Term) {
  return sendAfter(t, d, m);
});
defineGenBif('timer', 'send_after', 2, function* (t: Term, m: Term) {
  return sendAfter(t, S.current.pid, m);
});
defineGenBif('timer', 'apply_after', 4, function* (t: Term, m: Term, f: Term, a: Term) {
  return applyAfter(t, m, f, a);
});
defineGenBif('timer', 'exit_after', 3, function* (t: Term, p: Term, r: Term) {
  return exitAfter(t, p, r);
});
defineGenBif('timer', 'exit_after', 2, function* (t: Term, r: Term) {
  return exitAfter(t, S.current.pid, r);
});
defineGenBif('timer', 'kill_after', 2, function* (t: Term, p: Term) {
  return exitAfter(t, p, A.kill);
});
defineGenBif('timer', 'kill_after', 1, function* (t: Term) {
  return exitAfter(t, S.current.pid, A.kill);
});

function sendInterval(time: Term, dest: Term, msg: Term): Term {
  if (!validTime(time) || time === 0) return BADARG;
  const watched = resolvePid(dest) ?? (dest instanceof Tuple ? S.current.pid : undefined);
  if (watched === undefined) return BADARG;
  return interval(time, watched, () => quietSend(dest, msg));
}

defineGenBif('timer', 'send_interval', 3, function* (t: Term, d: Term, m: Term) {
  return sendInterval(t, d, m);
});
defineGenBif('timer', 'send_interval', 2, function* (t: Term, m: Term) {
  return sendInterval(t, S.current.pid, m);
});
defineGenBif('timer', 'apply_interval', 4, function* (t: Term, m: Term, f: Term, a: Term) {
  if (!validTime(t) || t === 0 || !validMFA(m, f, a)) return BADARG;
  const args = listToArray(a)!;
  return interval(t, S.current.pid, () => spawnApply(m as Atom, f as Atom, args));
});

defineGenBif('timer', 'cancel', 1, function* (tref: Term) {
  if (tref instanceof Tuple && tref.elements.length === 2 && tref.elements[1] instanceof Ref) {
    const [kind, ref] = tref.elements as [Term, Ref];
    if (kind === A.instant) return tuple(A.ok, A.cancel);
    if (kind === A.send_local) {
      cancelTimer(ref);
      return tuple(A.ok, A.cancel);
    }
    if (kind === A.once || kind === A.interval) {
      const t = serverTimers.get(key(ref));
      if (t !== undefined) {
        serverTimers.delete(key(ref));
        removeTimer(t);
      }
      return tuple(A.ok, A.cancel);
    }
  }
  return BADARG;
});

// ---------- sleep and tc ----------

defineGenBif('timer', 'sleep', 1, function* (t: Term) {
  const forever = t === A.infinity;
  if (!forever && !(isInteger(t) && t >= 0)) {
    throw erlError(A.timeout_value, list([tuple(atom('timer'), atom('sleep'), 1, list([tuple(atom('file'), charlistOf('timer.erl')), tuple(atom('line'), 219)]))]));
  }
  // receive after T -> ok end: messages stay in the mailbox
  const mb = S.current.mailbox;
  const w = wait(forever ? Infinity : performance.now() + Number(t));
  for (;;) {
    while (mb.next() !== undefined);
    if (!(yield w)) {
      mb.rewind();
      return OK;
    }
  }
});

function charlistOf(s: string): Term {
  return list([...s].map((c) => c.codePointAt(0)!));
}

function micros(t0: number): Term {
  return normInt(BigInt(Math.round((performance.now() - t0) * 1000)));
}

defineGenBif('timer', 'tc', 1, function* (f: Term) {
  const t0 = performance.now();
  const v = yield* callFun(f, []);
  return tuple(micros(t0), v);
});
defineGenBif('timer', 'tc', 2, function* (f: Term, a: Term) {
  const args = listToArray(a);
  const t0 = performance.now();
  const v = args !== undefined && f instanceof Fun ? yield* callFun(f, args) : yield* applyVia(f, a);
  return tuple(micros(t0), v);
});
defineGenBif('timer', 'tc', 3, function* (m: Term, f: Term, a: Term) {
  const t0 = performance.now();
  const apply3 = codeServer.fn(atom('erlang'), atom('apply'), 3);
  let v: Term | TailCall = yield* apply3(m, f, a);
  while (v instanceof TailCall) v = yield* v.fn(...v.args);
  return tuple(micros(t0), v);
});

/** erlang:apply(F, A) for the odd cases (a non-fun, a non-list): its errors are apply's. */
function* applyVia(f: Term, a: Term): Generator<unknown, Term, unknown> {
  let v: Term | TailCall = yield* codeServer.fn(atom('erlang'), atom('apply'), 2)(f, a);
  while (v instanceof TailCall) v = yield* v.fn(...v.args);
  return v;
}

// ---------- units ----------

function mul(name: string, factor: number) {
  defineBif('timer', name, 1, (n) => {
    if (typeof n === 'number') return normInt(BigInt(n) * BigInt(factor));
    if (typeof n === 'bigint') return normInt(n * BigInt(factor));
    throw erlError(atom('badarith'));
  });
}
mul('seconds', 1000);
mul('minutes', 60_000);
mul('hours', 3_600_000);

defineBif('timer', 'hms', 3, (h, m, s) => {
  if (!isInteger(h) || !isInteger(m) || !isInteger(s)) throw erlError(atom('badarith'));
  return normInt(BigInt(h) * 3_600_000n + BigInt(m) * 60_000n + BigInt(s) * 1000n);
});

defineBif('timer', 'now_diff', 2, (t2, t1) => {
  const parts = (t: Term) => (t instanceof Tuple && t.elements.length === 3 && t.elements.every(isInteger) ? t.elements.map((x) => BigInt(x as number)) : undefined);
  const a = parts(t2);
  const b = parts(t1);
  if (a === undefined || b === undefined) throw erlError(atom('function_clause'));
  return normInt(((a[0] - b[0]) * 1_000_000n + a[1] - b[1]) * 1_000_000n + a[2] - b[2]);
});

defineBif('timer', 'start', 0, () => OK);

