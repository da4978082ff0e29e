// Module rpc: call, block_call, cast and multicall as OTP 25's rpc.erl answers them: erpc:call with
// rpc's {badrpc, Reason} forms (the rex server that answers other nodes is rex.ts).

import { Atom, Ref, Term, Tuple, list, listToArray, tuple, OK, TRUE } from '../../vm/term.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS, THROW_CLASS, erlError } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { node } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { refKey } from '../../vm/signals.js';
import { asErlangException } from '../../vm/process.js';
import { erpcCall, erpcCast, timeoutMs } from './erpc.js';
import { A, type Gen, self, isMFA } from './dist_common.js';
import { netKernel } from '../../distribution/net_kernel.js';

// ---------- rpc ----------

/** rpc's rpcify_exception/2: an erpc exception as rpc:call's result (or raised again). */
function rpcify(e: ErlangException): Term {
  const r = e.reason;
  const el = r instanceof Tuple ? r.elements : [];
  const tagged = (tag: Atom, size: number): boolean => el.length === size && el[0] === tag;
  if (e.cls === THROW_CLASS) {
    if (r instanceof Tuple && r.size === 2 && r.elements[0] === A.EXIT) return tuple(A.badrpc, r);
    return r;
  }
  if (e.cls === EXIT_CLASS) {
    if (tagged(A.exception, 2)) return tuple(A.badrpc, tuple(A.EXIT, el[1]));
    if (tagged(A.signal, 2)) return tuple(A.badrpc, tuple(A.EXIT, el[1]));
    throw e;
  }
  if (tagged(A.exception, 3)) return tuple(A.badrpc, tuple(A.EXIT, tuple(el[1], el[2])));
  if (tagged(A.erpc, 2)) {
    const why = el[1];
    if (why === A.badarg) throw erlError(A.badarg);
    if (why === A.noconnection) return tuple(A.badrpc, A.nodedown);
    if (why === A.timeout) return tuple(A.badrpc, A.timeout);
    if (why === A.notsup) return tuple(A.badrpc, A.notsup);
    return tuple(A.badrpc, tuple(A.EXIT, why));
  }
  throw e;
}

/** rpc:call(N, M, F, A, T) */
function* rpcCall(n: Term, m: Term, f: Term, a: Term, t: Term): Gen {
  try {
    const v = yield* erpcCall(n, m, f, a, t);
    if (v instanceof Tuple && v.size === 2 && v.elements[0] === A.EXIT) return tuple(A.badrpc, v);
    return v;
  } catch (e) {
    return rpcify(asErlangException(e));
  }
}

defineGenBif('rpc', 'call', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  return yield* rpcCall(n, m, f, a, A.infinity);
});
defineGenBif('rpc', 'call', 5, function* (n: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* rpcCall(n, m, f, a, t);
});
defineGenBif('rpc', 'block_call', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  return yield* rpcCall(n, m, f, a, A.infinity);
});
defineGenBif('rpc', 'block_call', 5, function* (n: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* rpcCall(n, m, f, a, t);
});

defineGenBif('rpc', 'cast', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = listToArray(a);
  if (!(n instanceof Atom) || !isMFA(m, f) || args === undefined) throw erlError(A.badarg);
  erpcCast(self(), n, m as Atom, f as Atom, args);
  return TRUE;
});

/** rpc:multicall(Nodes, M, F, A, T): every node at once; {Results, BadNodes}. */
function* multicall(nodes: Term, m: Term, f: Term, a: Term, t: Term): Gen {
  const ns = listToArray(nodes);
  const args = listToArray(a);
  const ms = timeoutMs(t);
  if (ns === undefined || !ns.every((x) => x instanceof Atom) || !isMFA(m, f) || args === undefined || ms === undefined) throw erlError(A.badarg);
  const me = self();
  const deadline = performance.now() + ms;
  // each node's call runs in a helper process, so they all run at once; each answers {Tag, I, Result}
  const tag = node.makeRef();
  const tagKey = refKey(tag);
  ns.forEach((n, i) => {
    node.spawn(function* () {
      const left = Math.max(0, deadline - performance.now());
      let r: Term;
      try {
        r = tuple(OK, yield* erpcCall(n, m, f, a, ms === Infinity ? A.infinity : Math.ceil(left)));
      } catch (e) {
        const x = asErlangException(e);
        r = tuple(x.cls, x.reason);
      }
      node.sendToPid(me.pid, tuple(tag, i, r));
      return OK;
    }, []);
  });
  const results: Term[] = new Array(ns.length);
  for (let got = 0; got < ns.length; got++) {
    const msg = (yield* receive((x) =>
      x instanceof Tuple && x.size === 3 && x.elements[0] instanceof Ref && refKey(x.elements[0]) === tagKey ? x : undefined,
    ))!;
    results[msg.elements[1] as number] = msg.elements[2];
  }
  const ok: Term[] = [];
  const bad: Term[] = [];
  results.forEach((r, i) => {
    const [cls, v] = (r as Tuple).elements;
    if (cls === OK) {
      ok.push(v instanceof Tuple && v.size === 2 && v.elements[0] === A.EXIT ? tuple(A.badrpc, v) : v);
    } else if (cls === ERROR_CLASS && v instanceof Tuple && v.size === 2 && v.elements[0] === A.erpc && (v.elements[1] === A.timeout || v.elements[1] === A.noconnection)) {
      bad.push(ns[i]);
    } else {
      ok.push(rpcify(new ErlangException(cls as Atom, v)));
    }
  });
  return tuple(list(ok), list(bad));
}

defineGenBif('rpc', 'multicall', 3, function* (m: Term, f: Term, a: Term) {
  return yield* multicall(list([node.name, ...netKernel.nodes('visible')]), m, f, a, A.infinity);
});
defineGenBif('rpc', 'multicall', 4, function* (x: Term, m: Term, f: Term, a: Term) {
  if (listToArray(x) !== undefined) return yield* multicall(x, m, f, a, A.infinity);
  return yield* multicall(list([node.name, ...netKernel.nodes('visible')]), x, m, f, a);
});
defineGenBif('rpc', 'multicall', 5, function* (ns: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* multicall(ns, m, f, a, t);
});
