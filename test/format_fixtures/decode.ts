// Rebuilds the terms that json.erl wrote, so tests print exactly what real erl printed.
import {
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  Pid,
  Port,
  Ref,
  Term,
  Tuple,
  atom,
  charlist,
  list,
  listToArray,
} from '../../runtime/vm/term.js';
import { errorInfoItem } from '../../runtime/vm/exception.js';

export type J = { [k: string]: unknown };

export function decodeTerm(j: J): Term {
  if ('i' in j) {
    const b = BigInt(j.i as string);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  if ('f' in j) return new ErlFloat(Number(j.f));
  if ('a' in j) return atom(j.a as string);
  if ('t' in j) {
    const t = new Tuple((j.t as J[]).map(decodeTerm));
    // the generator writes OTP's error_info explanations as {terl_why, [{N, Text}]}: make that
    // the error_info item terl's BIFs raise, which carries the texts beside it
    if (t.elements.length === 2 && t.elements[0] === atom('terl_why')) return errorInfoItem(listToArray(t.elements[1]) ?? []);
    return t;
  }
  if ('s' in j) return charlist(j.s as string);
  if ('l' in j) return list((j.l as J[]).map(decodeTerm), j.tl ? decodeTerm(j.tl as J) : undefined);
  if ('b' in j) return new Bin(Uint8Array.from((j.b as string[]).map(Number)), Number(j.bits));
  if ('m' in j) return ErlMap.from((j.m as J[][]).map(([k, v]) => [decodeTerm(k), decodeTerm(v)] as [Term, Term]));
  if ('pid' in j) {
    const [n, id, serial, cr] = j.pid as [J, string, string, string];
    return new Pid(decodeTerm(n) as ReturnType<typeof atom>, Number(id), Number(serial), Number(cr));
  }
  if ('ref' in j) {
    const [n, cr, ...ids] = j.ref as [J, string, ...string[]];
    // the wire lists the least significant word first, as Ref.ids does
    return new Ref(decodeTerm(n) as ReturnType<typeof atom>, ids.map(Number), Number(cr));
  }
  if ('port' in j) {
    const [n, id, cr] = j.port as [J, string, string];
    return new Port(decodeTerm(n) as ReturnType<typeof atom>, Number(id), Number(cr));
  }
  if ('xfun' in j) {
    const [m, f, a] = j.xfun as [J, J, string];
    return new Fun(Number(a), undefined, {
      kind: 'export',
      module: decodeTerm(m) as ReturnType<typeof atom>,
      name: decodeTerm(f) as ReturnType<typeof atom>,
      arity: Number(a),
    });
  }
  if ('efun' in j) {
    // erl_eval's Info tuple: 6 elements, 7 for a named fun
    const size = j.named === true || j.named === 'true' ? 7 : 6;
    return new Fun(Number(j.efun), undefined, { kind: 'eval', env: new Tuple(new Array(size).fill(atom('x'))) });
  }
  if ('lfun' in j) {
    const [m, index, uniq, a] = j.lfun as [J, string, string, string];
    return new Fun(Number(a), undefined, {
      kind: 'local',
      module: decodeTerm(m) as ReturnType<typeof atom>,
      index: Number(index),
      uniq: Number(uniq),
      md5: new Uint8Array(16),
      free: [],
    });
  }
  throw new Error('decodeTerm: unknown ' + JSON.stringify(j));
}
