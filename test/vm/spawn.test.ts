// Spawning and the process BIFs around it: spawn/1,3, spawn_link, spawn_opt, apply, process_info,
// group leaders, node identity, the code server's undef. Expected values recorded from OTP 25.

import { describe, test, expect } from 'vitest';
import '../helpers/library.js';
import { run, call, callError, recv, flush, sleep, spawn, waiter, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { node, pidNumber } from '../../runtime/vm/node.js';
import { codeServer } from '../../runtime/vm/code_server.js';
import { Fun, NIL, Pid, Ref, Term, Tuple, TRUE, FALSE, atom, charlist, exactEqual, list, listToArray, listToString } from '../../runtime/vm/term.js';
import { TailCall } from '../../runtime/vm/abi.js';

function funOf(arity: number, body: (...a: Term[]) => Generator<unknown, Term, unknown>): Fun {
  return new Fun(arity, body, { kind: 'local', module: atom('runtime_spawn_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

describe('spawn', () => {
  test('spawn/1 runs the fun in a new process; is_process_alive follows it', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = (yield* call('spawn', funOf(0, function* () {
        yield* call('send', me, tuple(A('hi'), yield* call('node')));
        return A('ok');
      }))) as Pid;
      const m = yield* recv();
      yield* sleep(5);
      return tuple(m!, yield* call('is_process_alive', p));
    });
    // erl: nonode@nohost; a finished process is not alive
    expect(r.elements).toEqual([tuple(A('hi'), A('nonode@nohost')), FALSE]);
  });

  test('spawn/3 looks the function up when the process starts; a missing one is its undef', async () => {
    // erl: spawn(nosuchmod, f, []) returns a pid; the process dies of {undef,[{nosuchmod,f,[],[]}]}
    const r = await run(function* () {
      const pr = (yield* call('spawn_monitor', A('runtime_spawn_nosuchmod'), A('f'), NIL)) as Tuple;
      const [, ref] = pr.elements;
      const down = (yield* receive((m) => (m instanceof Tuple && m.elements[1] === ref ? m : undefined), 1000)) as Tuple;
      return down.elements[4];
    });
    expect(r).toEqual(tuple(A('undef'), list([tuple(A('runtime_spawn_nosuchmod'), A('f'), NIL, NIL)])));
  });

  test('spawn/3 runs a loaded module function with its arguments', async () => {
    codeServer.load({
      name: atom('runtime_spawn_mod'),
      exports: new Map([
        [
          'echo/2',
          function* (to: Term, x: Term) {
            yield* call('send', to, tuple(A('echo'), x));
            return A('ok');
          },
        ],
      ]),
    });
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = (yield* call('spawn', A('runtime_spawn_mod'), A('echo'), list([me, 7]))) as Pid;
      const m = yield* recv();
      return tuple(m!, (yield* call('process_info', p, A('initial_call'))) ?? A('gone'));
    });
    expect(r.elements[0]).toEqual(tuple(A('echo'), 7));
  });

  test('a fun of the wrong arity is accepted by spawn and dies with badarity', async () => {
    // erl: spawn(fun(X) -> X end) returns a pid; exit value {{badarity,{Fun,[]}},[{erlang,apply,2,[]}]}
    const r = await run(function* () {
      const f = funOf(1, function* (x) {
        return x;
      });
      const pr = (yield* call('spawn_monitor', f)) as Tuple;
      const [, ref] = pr.elements;
      const down = (yield* receive((m) => (m instanceof Tuple && m.elements[1] === ref ? m : undefined), 1000)) as Tuple;
      return tuple(down.elements[4], f);
    });
    const [reason, f] = r.elements;
    expect(((reason as Tuple).elements[0] as Tuple).elements[0]).toBe(A('badarity'));
    expect(((reason as Tuple).elements[0] as Tuple).elements[1]).toEqual(tuple(f, NIL));
  });

  test('badarg texts for spawn/1 and spawn/3', async () => {
    // erl: spawn(foo) -> argument 1: not a fun; spawn(1,2,3) -> arguments 1, 2: not an atom, 3: not a list
    const r = await run(function* () {
      const a = yield* callError('spawn', A('foo'));
      const b = yield* callError('spawn', 1, 2, 3);
      const c = yield* callError('spawn_link', A('foo'));
      const d = yield* callError('spawn_opt', funOf(0, waiter), list([A('foo')]));
      return tuple(a.reason, b.reason, c.reason, d.reason);
    });
    expect(r.elements).toEqual([A('badarg'), A('badarg'), A('badarg'), A('badarg')]);
  });

  test('spawn_opt with link and monitor', async () => {
    // erl: spawn_opt(F, [link]) -> pid; spawn_opt(F, [monitor]) -> {Pid, Ref}
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const p = (yield* call('spawn_opt', funOf(0, function* () {
        return A('ok');
      }), list([A('link')]))) as Pid;
      const m1 = (yield* recv()) as Tuple;
      const pm = (yield* call('spawn_opt', funOf(0, function* () {
        return A('ok');
      }), list([A('monitor'), tuple(A('priority'), A('high'))]))) as Tuple;
      const m2 = (yield* recv()) as Tuple;
      return tuple(m1.elements[0], m1.elements[1] === p ? TRUE : FALSE, pm.elements[1] instanceof Ref ? TRUE : FALSE, m2.elements[0], m2.elements[4]);
    });
    expect(r.elements).toEqual([A('EXIT'), TRUE, TRUE, A('DOWN'), A('normal')]);
  });

});

describe('apply', () => {
  test('apply/2 and apply/3, with the errors erl gives', async () => {
    // erl: apply(foo, []) -> bad function foo; apply(lists, nosuch, []) -> undefined function lists:nosuch/0;
    //      apply(foo, bar, baz) -> badarg (argument 3: not a list)
    const r = await run(function* () {
      const a = yield* call('apply', funOf(1, function* (x) {
        return tuple(A('got'), x);
      }), list([1]));
      const b = yield* call('apply', A('erlang'), A('tuple_size'), list([tuple(1, 2)]));
      const e1 = yield* callError('apply', A('foo'), NIL);
      const e2 = yield* callError('apply', A('runtime_spawn_nosuchmod'), A('nosuch'), NIL);
      const e3 = yield* callError('apply', A('foo'), A('bar'), A('baz'));
      return tuple(a, b, e1.reason, e2.reason, e3.reason);
    });
    expect(r.elements).toEqual([
      tuple(A('got'), 1),
      2,
      tuple(A('badfun'), A('foo')),
      A('undef'),
      A('badarg'),
    ]);
  });

  test('apply in a loop runs in constant stack (it is a tail call)', async () => {
    // loop(0) -> done; loop(N) -> apply(?MODULE, loop, [N - 1]).
    const loop = function* (n: Term): Generator<unknown, Term, unknown> {
      if (n === 0) return A('done');
      const r = yield* codeServer.fn(atom('erlang'), atom('apply'), 3)(A('runtime_spawn_loop'), A('loop'), list([(n as number) - 1]));
      return r;
    };
    codeServer.load({ name: atom('runtime_spawn_loop'), exports: new Map([['loop/1', loop]]) });
    const r = await run(function* () {
      let v: Term | TailCall = yield* loop(300000);
      while (v instanceof TailCall) v = yield* v.fn(...v.args);
      return v;
    });
    expect(r).toBe(A('done'));
  });
});

describe('process_info', () => {
  test('items and lists of items', async () => {
    // erl: [{registered_name,[]},{status,running},{trap_exit,false},{priority,normal}]
    //      process_info(P, registered_name) for an unnamed process is []
    //      [{messages,[a,{b,1}]},{message_queue_len,2}]
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const a = yield* call('process_info', me, list([A('registered_name'), A('status'), A('trap_exit'), A('priority')]));
      const b = yield* call('process_info', me, A('registered_name'));
      yield* call('send', me, A('a'));
      yield* call('send', me, tuple(A('b'), 1));
      const c = yield* call('process_info', me, list([A('messages'), A('message_queue_len')]));
      yield* flush();
      yield* call('put', A('k'), A('v'));
      yield* call('register', A('spawn_test_pin'), me);
      const d = yield* call('process_info', me, list([A('registered_name'), A('dictionary')]));
      yield* call('unregister', A('spawn_test_pin'));
      return tuple(a, b, c, d);
    });
    const [a, b, c, d] = r.elements;
    expect(a).toEqual(list([tuple(A('registered_name'), NIL), tuple(A('status'), A('running')), tuple(A('trap_exit'), FALSE), tuple(A('priority'), A('normal'))]));
    expect(b).toBe(NIL);
    expect(c).toEqual(list([tuple(A('messages'), list([A('a'), tuple(A('b'), 1)])), tuple(A('message_queue_len'), 2)]));
    expect(d).toEqual(list([tuple(A('registered_name'), A('spawn_test_pin')), tuple(A('dictionary'), list([tuple(A('k'), A('v'))]))]));
  });

  test('process_info/1 lists the default items in erl order; a dead process is undefined', async () => {
    const r = await run(function* () {
      const p = spawn(waiter);
      const all = listToArray(yield* call('process_info', p))!;
      yield* call('send', p, A('stop'));
      yield* sleep(5);
      return tuple(list(all.map((x) => (x as Tuple).elements[0])), yield* call('process_info', p), yield* call('process_info', p, list([A('status')])));
    });
    // erl: current_function, initial_call, status, message_queue_len, links, dictionary, trap_exit, error_handler,
    //      priority, group_leader, total_heap_size, heap_size, stack_size, reductions, garbage_collection, suspending
    expect(r.elements[0]).toEqual(
      list(
        'current_function initial_call status message_queue_len links dictionary trap_exit error_handler priority group_leader total_heap_size heap_size stack_size reductions garbage_collection suspending'
          .split(' ')
          .map(A),
      ),
    );
    expect(r.elements[1]).toBe(A('undefined'));
    expect(r.elements[2]).toBe(A('undefined'));
  });

  test('a waiting process has status waiting; an invalid item is badarg even for a dead process', async () => {
    // erl: pinfo_dead_bad -> badarg
    const r = await run(function* () {
      const p = spawn(waiter);
      yield* sleep(2);
      const st = yield* call('process_info', p, A('status'));
      yield* call('send', p, A('stop'));
      yield* sleep(2);
      const e = yield* callError('process_info', p, A('foo'));
      return tuple(st, e.reason);
    });
    expect(r.elements).toEqual([tuple(A('status'), A('waiting')), A('badarg')]);
  });
});

describe('group leaders and nodes', () => {
  test('a spawned process inherits its group leader; group_leader/2 changes it', async () => {
    const r = await run(function* () {
      const gl = yield* call('group_leader');
      const me = (yield* call('self')) as Pid;
      const p = spawn(waiter);
      const inherited = ((yield* call('process_info', p, A('group_leader'))) as Tuple).elements[1];
      yield* call('group_leader', me, p);
      const changed = ((yield* call('process_info', p, A('group_leader'))) as Tuple).elements[1];
      yield* call('send', p, A('stop'));
      return tuple(inherited === gl ? TRUE : FALSE, changed === me ? TRUE : FALSE);
    });
    expect(r.elements).toEqual([TRUE, TRUE]);
  });

  test('node/0,1, nodes/0, is_alive/0 when not distributed', async () => {
    // erl: {nonode@nohost,nonode@nohost,[],false}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      return tuple(yield* call('node'), yield* call('node', me), yield* call('nodes'), yield* call('is_alive'), (yield* callError('node', A('foo'))).reason);
    });
    expect(r.elements).toEqual([A('nonode@nohost'), A('nonode@nohost'), NIL, FALSE, A('badarg')]);
  });

  test('make_ref gives distinct, ordered refs; processes/0 lists live processes', async () => {
    const r = await run(function* () {
      const a = (yield* call('make_ref')) as Ref;
      const b = (yield* call('make_ref')) as Ref;
      const me = (yield* call('self')) as Pid;
      const ps = listToArray(yield* call('processes'))!;
      return tuple(a === b ? FALSE : TRUE, ps.includes(me) ? TRUE : FALSE, a, b);
    });
    expect(r.elements.slice(0, 2)).toEqual([TRUE, TRUE]);
  });

  test('statistics items', async () => {
    // erl: [true,true,true,true,true,true] for runtime, wall_clock, reductions
    const r = await run(function* () {
      const items = ['runtime', 'wall_clock', 'reductions'];
      const out: Term[] = [];
      for (const it of items) {
        const t = (yield* call('statistics', A(it))) as Tuple;
        out.push(...t.elements);
      }
      return tuple(A(String(out.every((x) => typeof x === 'number' && x >= 0))), (yield* callError('statistics', A('foo'))).reason);
    });
    expect(r.elements).toEqual([A('true'), A('badarg')]);
  });
});

describe('the code server', () => {
  test('code:is_loaded/which/ensure_loaded/purge/delete and erlang:function_exported', async () => {
    // erl: is_loaded(nosuch) -> false; ensure_loaded(nosuch) -> {error,nofile}; which(nosuch) -> non_existing;
    //      purge(nosuch) -> false; delete(nosuch) -> false; function_exported(lists, map, 2) -> true;
    //      function_exported(lists, map, x) -> badarg; module_loaded(1) -> badarg
    codeServer.load({ name: atom('runtime_code_mod'), exports: new Map([['f/0', function* () { return A('v1'); }]]), file: '/tmp/runtime_code_mod.erl' });
    const r = await run(function* () {
      const out: Term[] = [
        yield* call('code:is_loaded', A('runtime_code_nosuch')),
        yield* call('code:ensure_loaded', A('runtime_code_nosuch')),
        yield* call('code:which', A('runtime_code_nosuch')),
        yield* call('code:purge', A('runtime_code_nosuch')),
        yield* call('code:delete', A('runtime_code_nosuch')),
        yield* call('function_exported', A('lists'), A('map'), 2),
        yield* call('function_exported', A('runtime_code_mod'), A('f'), 0),
        yield* call('function_exported', A('runtime_code_mod'), A('f'), 1),
        (yield* callError('function_exported', A('lists'), A('map'), A('x'))).reason,
        (yield* callError('module_loaded', 1)).reason,
        yield* call('code:is_loaded', A('runtime_code_mod')),
        yield* call('runtime_code_mod:module_info', A('module')),
        yield* call('lists:module_info', A('module')),
      ];
      return list(out);
    });
    expect(listToArray(r)).toEqual([
      FALSE,
      tuple(A('error'), A('nofile')),
      A('non_existing'),
      FALSE,
      FALSE,
      TRUE,
      TRUE,
      FALSE,
      A('badarg'),
      A('badarg'),
      tuple(A('file'), list([...'/tmp/runtime_code_mod.erl'].map((c) => c.charCodeAt(0)))),
      A('runtime_code_mod'),
      A('lists'),
    ]);
  });

  test('loading again keeps the old version until purged; calls reach the new one', async () => {
    const v = (tag: string) => ({ name: atom('runtime_code_reload'), exports: new Map([['f/0', function* () { return A(tag); }]]) });
    codeServer.load(v('v1'));
    const a = await run(function* () { return yield* call('runtime_code_reload:f'); });
    codeServer.load(v('v2'));
    const b = await run(function* () { return yield* call('runtime_code_reload:f'); });
    expect([a, b]).toEqual([A('v1'), A('v2')]);
    // (code:purge answers whether it had to kill processes running the old code: none here)
    const r = await run(function* () {
      const before = yield* call('check_old_code', A('runtime_code_reload'));
      yield* call('code:purge', A('runtime_code_reload'));
      return tuple(before, yield* call('check_old_code', A('runtime_code_reload')));
    });
    expect(r.elements).toEqual([TRUE, FALSE]);
  });

  test('the loader hook loads a module on its first call, once', async () => {
    let asked = 0;
    codeServer.setLoader((name) => {
      asked++;
      if (name !== 'runtime_code_lazy') return false;
      codeServer.load({ name: atom(name), exports: new Map([['hello/0', function* () { return A('loaded'); }]]) });
      return true;
    });
    const r = await run(function* () {
      const a = yield* call('runtime_code_lazy:hello');
      const b = yield* call('runtime_code_lazy:hello');
      const e1 = yield* callError('runtime_code_missing:x');
      const e2 = yield* callError('runtime_code_missing:x');
      return tuple(a, b, e1.reason, e2.reason);
    });
    codeServer.setLoader(undefined);
    expect(r.elements).toEqual([A('loaded'), A('loaded'), A('undef'), A('undef')]);
    // one search for the lazy module, one for the missing one (remembered as missing afterwards)
    expect(asked).toBe(2);
  });
});

describe('pids, refs and ports as text', () => {
  test('pid_to_list/list_to_pid round trip; the same process comes back', async () => {
    // erl: pid_to_list(self()) -> "<0.81.0>"; list_to_pid("<0.81.0>") =:= self() -> true
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const text = yield* call('pid_to_list', me);
      const back = yield* call('list_to_pid', text);
      return tuple(text, back === me ? TRUE : FALSE, yield* call('is_process_alive', back));
    });
    expect(r.elements[1]).toBe(TRUE);
    expect(r.elements[2]).toBe(TRUE);
    expect(listToString(r.elements[0])).toMatch(/^<0\.\d+\.\d+>$/);
  });

  test('bad texts are badarg, as erl says', async () => {
    // erl: list_to_pid("foo"), ("<0.81>"), ("<1.2.3>"), (" <0.1.0>"), ("<0.40000.0>"), ("<0.1.8192>") -> badarg;
    //      list_to_pid("<0.01.0>") -> <0.1.0>; list_to_ref("#Ref<0.1.2>") -> badarg
    const r = await run(function* () {
      const bad = ['foo', '<0.81>', '<1.2.3>', ' <0.1.0>', '<0.1.0> ', '<0.40000.0>', '<0.1.8192>'];
      const out: Term[] = [];
      for (const t of bad) out.push((yield* callError('list_to_pid', charlist(t))).reason);
      out.push(yield* call('pid_to_list', yield* call('list_to_pid', charlist('<0.01.0>'))));
      out.push((yield* callError('list_to_ref', charlist('#Ref<0.1.2>'))).reason);
      out.push((yield* callError('pid_to_list', A('foo'))).reason);
      return list(out);
    });
    const got = listToArray(r)!;
    expect(got.slice(0, 7)).toEqual(Array(7).fill(A('badarg')));
    expect(listToString(got[7])).toBe('<0.1.0>');
    expect(got.slice(8)).toEqual([A('badarg'), A('badarg')]);
  });

  test('refs and ports round trip through their text', async () => {
    // erl: R = make_ref(), list_to_ref(ref_to_list(R)) =:= R -> true; port_to_list(list_to_port("#Port<0.5>")) -> "#Port<0.5>"
    const r = await run(function* () {
      const ref = yield* call('make_ref');
      const back = yield* call('list_to_ref', yield* call('ref_to_list', ref));
      const port = yield* call('port_to_list', yield* call('list_to_port', charlist('#Port<0.5>')));
      return tuple(exactEqual(ref, back) ? TRUE : FALSE, port);
    });
    expect(r.elements[0]).toBe(TRUE);
    expect(listToString(r.elements[1])).toBe('#Port<0.5>');
  });

  test('pid numbers wrap at 2^15 into the serial, as OTP prints them (<0.7310.1> for its 40,000th process)', async () => {
    node.setNextPidNumber(32766); // the test's own process takes 32766
    const r = await run(function* () {
      const a = spawn(waiter);
      const b = spawn(waiter);
      const texts = tuple(yield* call('pid_to_list', a), yield* call('pid_to_list', b));
      const found = tuple(yield* call('list_to_pid', charlist('<0.0.1>')), b);
      yield* call('send', a, A('stop'));
      yield* call('send', b, A('stop'));
      return tuple(texts, found);
    });
    const [texts, found] = r.elements as Tuple[];
    expect(texts.elements.map((t) => listToString(t))).toEqual(['<0.32767.0>', '<0.0.1>']);
    expect(found.elements[0]).toBe(found.elements[1]);
    expect(pidNumber(found.elements[1] as Pid)).toBe(32768);
  });
});

describe('the process table', () => {
  test('after the numbers wrap, a slot held by a live process is skipped', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      node.setNextPidNumber(pidNumber(me) + 262144); // same table slot as this process
      const p = spawn(waiter);
      const alive = yield* call('is_process_alive', me);
      yield* call('send', p, A('stop'));
      return tuple(A(String(pidNumber(p) - pidNumber(me))), alive);
    });
    expect(r.elements).toEqual([A(String(262144 + 1)), TRUE]);
  });
});

describe('yield and hibernate', () => {
  test('erlang:yield/0 returns true and lets others run first', async () => {
    const order: string[] = [];
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      spawn(function* () {
        order.push('other');
        yield* call('send', me, A('done'));
        return A('ok');
      });
      order.push('before');
      const y = yield* call('erlang:yield');
      order.push('after');
      yield* recv();
      return y;
    });
    expect(r).toBe(TRUE);
    expect(order).toEqual(['before', 'other', 'after']);
  });

  test('hibernate waits for a message, leaves it in the mailbox, and continues in M:F(A)', async () => {
    codeServer.load({
      name: atom('runtime_hibernate_mod'),
      exports: new Map([
        [
          'wake/1',
          function* (to: Term) {
            const m = yield* recv();
            yield* call('send', to, tuple(A('woke_with'), m!));
            return A('ok');
          },
        ],
      ]),
    });
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        return yield* call('erlang:hibernate', A('runtime_hibernate_mod'), A('wake'), list([me]));
      });
      yield* sleep(10);
      const st = yield* call('process_info', p, A('status'));
      yield* call('send', p, A('hello'));
      return tuple(st, (yield* recv())!);
    });
    expect(r.elements).toEqual([tuple(A('status'), A('waiting')), tuple(A('woke_with'), A('hello'))]);
  });
});
