// The interactive shell's explanations: under a `pang` or a `{badrpc,...}` that erl prints bare,
// one line in plain language naming the cause the distribution observed while the expression ran
// (runtime/distribution/failure.ts records it). Only on a terminal, and only when asked
// (--no-explain and TERL_EXPLAIN=0 turn it off): piped and -noshell output stays erl's.

import { Atom, Fun, List, Term, Tuple, atom, listToArray } from '../../../vm/term.js';
import type { DistFailure } from '../../../distribution/failure.js';

const PANG = atom('pang');
const BADRPC = atom('badrpc');
const NODEDOWN = atom('nodedown');
const EXIT = atom('EXIT');
const UNDEF = atom('undef');
const BADFUN = atom('badfun');

const COMPARE_COOKIES = 'compare erlang:get_cookie() on both nodes (set it with -setcookie or in ~/.erlang.cookie)';

/** One line naming the cause of a failed attempt to reach a node. */
export function explainFailure(f: DistFailure): string {
  switch (f.kind) {
    case 'our_reply_rejected':
      return `${f.node} rejected our challenge reply: the two nodes' cookies differ; ${COMPARE_COOKIES}`;
    case 'their_ack_invalid':
      return `${f.node} accepted our challenge reply, but its ack does not match our cookie: the cookies differ; ${COMPARE_COOKIES}`;
    case 'their_reply_rejected':
      return `${f.node} tried to connect, and we rejected its challenge reply: its cookie differs from ours; ${COMPARE_COOKIES}`;
    case 'not_registered': {
      const alive = f.node.slice(0, f.node.indexOf('@'));
      const names =
        f.names === undefined ? '' : f.names.length === 0 ? '; no names are registered there' : `; the names registered there: ${f.names.join(', ')}`;
      return `no node named ${alive} is registered with the port mapper (epmd) on ${f.host}${names}`;
    }
    case 'host_unresolved':
      return `the host ${f.host} does not resolve (${f.code}): check the part after @ (-sname nodes use the short host name, -name nodes a fully qualified one)`;
    case 'epmd_unreachable':
      return `nothing answers on ${f.host}'s port mapper port ${f.port} (${f.code}): epmd is not running there, or a firewall closes the port`;
    case 'port_unreachable':
      return `epmd on ${f.host} gave ${f.node}'s port as ${f.port}, but connecting to it failed (${f.code}): a firewall may close the distribution ports (inet_dist_listen_min/max)`;
    case 'name_mode':
      return f.longNames
        ? `this node runs with long names (-name), and ${f.host} is a short host name: long-name and short-name (-sname) nodes do not connect; start both with -name and a fully qualified host, or both with -sname`
        : `this node runs with short names (-sname), and ${f.host} is a fully qualified host name: short-name and long-name (-name) nodes do not connect; start both with -sname, or both with -name and a fully qualified host`;
    case 'connection_down':
      return f.reason === 'net_tick_timeout'
        ? `the connection to ${f.node} went down: nothing came from it for net_ticktime (the node hangs, or the network between you dropped)`
        : `the connection to ${f.node} went down (${f.reason}): the node stopped, or it or this node closed the connection`;
    case 'not_allowed':
      return `${f.node} refused the connection: it does not allow this node (net_kernel:allow/1 there)`;
    case 'wrong_node':
      return `asked for ${f.node}, but the node at that port is ${f.answered}`;
    case 'other':
      return `the connection to ${f.node} failed${f.step !== undefined ? ` at ${f.step}` : ''}: ${f.detail}`;
  }
}

/** The explanation lines for an expression's value, given the failures recorded while it ran. */
export function explainValue(value: Term, failures: DistFailure[]): string[] {
  if (value === PANG || isBadrpc(value, (r) => r === NODEDOWN)) return failures.map(explainFailure);
  const badfun = badrpcBadfun(value);
  if (badfun !== undefined) {
    return [`a fun of module ${badfun} does not run on the remote node: the module is missing there, or loaded in another version (a fun names its module's exact code); load the same code on both nodes (nl(${badfun}))`];
  }
  const missingFun = badrpcUndefFun(value);
  if (missingFun !== undefined) {
    return [`a fun of module ${missingFun} does not run on the remote node: that node has no module ${missingFun} loaded or on its code path (a fun's code stays with its module); load it there (nl(${missingFun}))`];
  }
  const undef = badrpcUndef(value);
  if (undef !== undefined) {
    return [`${undef} is undefined on the remote node: its module is not on that node's code path, or does not export it (nl(Module) loads this node's copy there)`];
  }
  return [];
}

function isBadrpc(v: Term, reason: (r: Term) => boolean): boolean {
  return v instanceof Tuple && v.elements.length === 2 && v.elements[0] === BADRPC && reason(v.elements[1]);
}

/** The module of the fun in {badrpc,{'EXIT',{{badfun,Fun},_}}}. */
function badrpcBadfun(v: Term): string | undefined {
  if (!(v instanceof Tuple) || v.elements.length !== 2 || v.elements[0] !== BADRPC) return undefined;
  const e = v.elements[1];
  if (!(e instanceof Tuple) || e.elements.length !== 2 || e.elements[0] !== EXIT) return undefined;
  const r = e.elements[1];
  const bf = r instanceof Tuple && r.elements.length === 2 ? r.elements[0] : undefined;
  if (!(bf instanceof Tuple) || bf.elements.length !== 2 || bf.elements[0] !== BADFUN) return undefined;
  const f = bf.elements[1];
  return f instanceof Fun && f.info.kind !== 'eval' ? f.info.module.name : undefined;
}

/** The module of the fun in {badrpc,{'EXIT',{undef,[{Fun,Args,_}|_]}}}: OTP's error for a fun whose module is missing. */
function badrpcUndefFun(v: Term): string | undefined {
  if (!(v instanceof Tuple) || v.elements.length !== 2 || v.elements[0] !== BADRPC) return undefined;
  const e = v.elements[1];
  if (!(e instanceof Tuple) || e.elements.length !== 2 || e.elements[0] !== EXIT) return undefined;
  const u = e.elements[1];
  if (!(u instanceof Tuple) || u.elements.length !== 2 || u.elements[0] !== UNDEF) return undefined;
  const top = listToArray(u.elements[1])?.[0];
  const f = top instanceof Tuple ? top.elements[0] : undefined;
  return f instanceof Fun && f.info.kind !== 'eval' ? f.info.module.name : undefined;
}

/** M:F/A of {badrpc,{'EXIT',{undef,[{M,F,Args,_}|_]}}}. */
function badrpcUndef(v: Term): string | undefined {
  if (!(v instanceof Tuple) || v.elements.length !== 2 || v.elements[0] !== BADRPC) return undefined;
  const e = v.elements[1];
  if (!(e instanceof Tuple) || e.elements.length !== 2 || e.elements[0] !== EXIT) return undefined;
  const u = e.elements[1];
  if (!(u instanceof Tuple) || u.elements.length !== 2 || u.elements[0] !== UNDEF || !(u.elements[1] instanceof List)) return undefined;
  const top = listToArray(u.elements[1])?.[0];
  if (!(top instanceof Tuple) || top.elements.length < 3) return undefined;
  const [m, f, a] = top.elements;
  if (!(m instanceof Atom) || !(f instanceof Atom)) return undefined;
  const arity = typeof a === 'number' ? a : typeof a === 'bigint' ? Number(a) : (listToArray(a)?.length ?? 0);
  return `${m.name}:${f.name}/${arity}`;
}
