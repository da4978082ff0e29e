// seq_trace across nodes, driven through the shells of real nodes (terl or erl alike): a system
// tracer that keeps what it gets, an echo server, a client process with a token, and the trace
// messages each tracer got, printed with ~w and matched against the flow a user expects.

import { expect } from 'vitest';
import type { Shell } from './dist_nodes.js';
import { esc } from './wire.js';

/** The tracer (registered seq_tracer, the system tracer) and the echo server, on one node. */
export async function setUpTracing(sh: Shell): Promise<void> {
  expect(
    await sh.eval(
      'register(seq_tracer, spawn(fun() -> (fun Loop(Acc) -> receive {dump, From} -> From ! {traces, lists:reverse(Acc)}, Loop([]); T -> Loop([T | Acc]) end end)([]) end)), seq_trace:set_system_tracer(whereis(seq_tracer)), ok.',
    ),
  ).toBe('ok');
  expect(await sh.eval('register(echo, spawn(fun Loop() -> receive {From, M} -> From ! {echoed, M}, Loop() end end)), ok.')).toBe('ok');
}

/**
 * In a new process of this node: a token with label 17, its serial set to {0, 0} (so erl's count
 * starts where terl's does), send and 'receive' on; then `body` (an expression list that ends in
 * the result), the token cleared, the result printed with ~w (with the client's pid first).
 */
export async function traced(sh: Shell, body: string): Promise<string> {
  const client =
    "fun() -> seq_trace:set_token(label, 17), seq_trace:set_token(serial, {0, 0}), seq_trace:set_token(send, true), seq_trace:set_token('receive', true), " +
    `Res = begin ${body} end, seq_trace:set_token([]), S ! {client, self(), Res} end`;
  // in a fun, so that the shell keeps no bindings from one call to the next
  return sh.eval(`(fun() -> S = self(), spawn(${client}), receive {client, C, Out} -> io:format("~w~n", [{C, Out}]) end end)().`);
}

/** The trace messages this node's tracer got (then it starts over), printed with ~w. */
export async function traces(sh: Shell): Promise<string> {
  return sh.eval('(fun() -> seq_tracer ! {dump, self()}, receive {traces, Ts} -> io:format("~w~n", [Ts]) end end)().');
}

/**
 * A pattern for text printed with ~w in which `$Name` stands for a pid or a ref: the first one of
 * a name is any pid (or ref, for names that start with R), the same name later the same text.
 * `$L...` names are this node's pids (<0.N.0>), other names another node's.
 */
export function flow(template: string): RegExp {
  const seen = new Set<string>();
  const src = esc(template).replace(/\\\$([A-Za-z]\w*)/g, (_m, name: string) => {
    if (seen.has(name)) return `\\k<${name}>`;
    seen.add(name);
    const what = name.startsWith('R') ? '#Ref<[\\d.]+>' : name.startsWith('L') ? '<0\\.\\d+\\.0>' : '<[1-9]\\d*\\.\\d+\\.\\d+>';
    return `(?<${name}>${what})`;
  });
  return new RegExp(`^${src}$`);
}

/**
 * A client with a token on `from` sends {self(), Word} to `dest` (an echo on `to`: `{echo,Node}`
 * or its pid, as ~w prints it on `from`; `destCode` how the client names it, when that differs)
 * and receives the reply: `from`'s tracer sees the send
 * {0,1} and the 'receive' {1,Reply}, `to`'s the same two steps from the echo's side. Reply is 2
 * for an echo that had no token yet, more for one that kept its count from an earlier exchange.
 */
export async function expectEchoFlow(from: Shell, to: Shell, dest: string, word: string, reply: number, destCode = dest): Promise<void> {
  expect(await traced(from, `${destCode} ! {self(), ${word}}, receive {echoed, M} -> M end`)).toMatch(flow(`{$LC,${word}}\nok`));
  expect(await traces(from)).toMatch(
    flow(`[{seq_trace,17,{send,{0,1},$LC,${dest},{$LC,${word}}}},{seq_trace,17,{'receive',{1,${reply}},$E,$LC,{echoed,${word}}}}]\nok`),
  );
  expect(await traces(to)).toMatch(
    flow(`[{seq_trace,17,{'receive',{0,1},$C,$LE,{$C,${word}}}},{seq_trace,17,{send,{1,${reply}},$LE,$C,{echoed,${word}}}}]\nok`),
  );
}

/**
 * rpc:call(ToName, erlang, node, []) by a client with a token on `from`: OTP 25's rpc:call is a
 * SPAWN_REQUEST of erpc:execute_call/4, which `from` counts as two steps (the request, then its
 * argument list); on `to` the new process receives the request, sends its spawn_reply and
 * receives the argument list. The result comes back in a 'DOWN', which carries no token.
 */
export async function expectRpcFlow(from: Shell, to: Shell, toName: string): Promise<void> {
  expect(await traced(from, `rpc:call(${toName}, erlang, node, [])`)).toMatch(flow(`{$LC,${toName}}\nok`));
  expect(await traces(from)).toMatch(
    flow(
      `[{seq_trace,17,{send,{0,1},$LC,${toName},{spawn_request,$R1,$LC,$LG,{erpc,execute_call,4},[monitor]}}},` +
        `{seq_trace,17,{send,{0,2},$LC,${toName},[$R2,erlang,node,[]]}}]\nok`,
    ),
  );
  expect(await traces(to)).toMatch(
    flow(
      `[{seq_trace,17,{'receive',{0,1},$C,$LP,{spawn_request,$R1,$C,$G,{erpc,execute_call,4},[monitor]}}},` +
        `{seq_trace,17,{send,{1,2},$LP,$C,{spawn_reply,$R1,ok,$LP}}},` +
        `{seq_trace,17,{'receive',{0,2},$C,$LP,[$R2,erlang,node,[]]}}]\nok`,
    ),
  );
}
