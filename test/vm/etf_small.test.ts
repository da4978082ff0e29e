// A distribution frame's small terms are read at once (runtime/vm/etf.ts decodeSmallTerm) and
// everything else by the general decoder: both must give the same term, or refuse a frame with the
// same error, whatever the frame holds. Writing is the same: a term's top by recursion, the rest
// (and anything deeper than 64) by the general encoder, which must write the same bytes.

import { describe, it, expect } from 'vitest';
import { Pid, Ref, Tuple, atom, exactEqual, list, tuple, NIL } from '../../runtime/vm/term.js';
import type { Term } from '../../runtime/vm/term.js';
import { EtfError, decodeControl, decodeControlInSteps, encode, encodeControl } from '../../runtime/vm/etf.js';
import type { ControlFrame, DecodeOptions } from '../../runtime/vm/etf.js';
import { mutateBytes, randomTerm, rng } from '../fuzz/gen.js';

/** The frame read by the general decoder alone, in steps of a few terms, to its end. */
function general(frame: Uint8Array, opts: DecodeOptions): ControlFrame {
  const steps = decodeControlInSteps(frame, opts, 3);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

type Outcome = { ok: true; cf: ControlFrame } | { ok: false; error: string };

function outcome(read: () => ControlFrame): Outcome {
  try {
    return { ok: true, cf: read() };
  } catch (e) {
    if (!(e instanceof EtfError)) throw e;
    return { ok: false, error: e.message };
  }
}

function expectSame(frame: Uint8Array, opts: DecodeOptions = {}): void {
  const a = outcome(() => decodeControl(frame, opts));
  const b = outcome(() => general(frame, opts));
  if (!a.ok || !b.ok) {
    expect(a).toEqual(b);
    return;
  }
  expect(exactEqual(a.cf.control, b.cf.control)).toBe(true);
  expect(a.cf.payload === undefined).toBe(b.cf.payload === undefined);
  if (a.cf.payload !== undefined) expect(exactEqual(a.cf.payload, b.cf.payload!)).toBe(true);
}

const me = atom('srv@host');
const them = atom('cli@host');

/** An rpc:call's three frames: the spawn request, its reply and the exit that answers it. */
function rpcFrames(i: number): Uint8Array[] {
  const req = new Ref(them, [i, 7, 9], 3);
  const res = new Ref(them, [i + 1, 7, 9], 3);
  const from = new Pid(them, 80 + i, 0, 3);
  const child = new Pid(me, 100 + i, 0, 2);
  return [
    encodeControl(tuple(29, req, from, new Pid(them, 70, 0, 3), tuple(atom('erpc'), atom('execute_call'), 4), list([atom('monitor')])), list([res, atom('erlang'), atom('node'), NIL])),
    encodeControl(tuple(31, req, from, 2, child)),
    encodeControl(tuple(28, child, from, req), tuple(res, atom('return'), me)),
  ];
}

describe('small terms of a distribution frame, read at once', () => {
  it("an rpc:call's frames decode to the terms that were sent", () => {
    const [request, reply, exit] = rpcFrames(1);
    const r = decodeControl(request);
    expect((r.control as Tuple).elements[0]).toBe(29);
    expect(exactEqual(r.payload!, list([new Ref(them, [2, 7, 9], 3), atom('erlang'), atom('node'), NIL]))).toBe(true);
    expect(exactEqual(decodeControl(reply).control, tuple(31, new Ref(them, [1, 7, 9], 3), new Pid(them, 81, 0, 3), 2, new Pid(me, 101, 0, 2)))).toBe(true);
    expect(exactEqual(decodeControl(exit).payload!, tuple(new Ref(them, [2, 7, 9], 3), atom('return'), me))).toBe(true);
    for (const f of [request, reply, exit]) expectSame(f);
  });

  it('pids pass through mapPid, as the general decoder passes them', () => {
    const live = new Pid(me, 101, 0, 2);
    const mapPid = (p: Pid): Pid => (p.node === me && p.id === 101 ? live : p);
    const r = decodeControl(rpcFrames(1)[1], { mapPid });
    expect((r.control as Tuple).elements[4]).toBe(live);
  });

  it('random terms: the same term both ways', () => {
    const r = rng(20);
    for (let i = 0; i < 2000; i++) {
      const t: Term = randomTerm(r, 0);
      expectSame(encodeControl(tuple(2, atom(''), new Pid(me, 1, 0, 2)), t));
      expectSame(encodeControl(tuple(6, new Pid(them, 1, 0, 3), atom(''), atom('kvs')), tuple(t, list([t, t]), list([1, 2]))));
    }
  });

  it('mutated frames: the same term or the same error both ways', () => {
    const r = rng(21);
    const goods = [...rpcFrames(3), encodeControl(tuple(2, atom(''), new Pid(me, 1, 0, 2)), list([tuple(1, 2), atom('ab')], atom('improper')))];
    for (let i = 0; i < 5000; i++) expectSame(mutateBytes(goods[i % goods.length], r, 2));
  });

  it('nesting at the limit of maxDepth: refused as the general decoder refuses it', () => {
    let t: Term = NIL;
    for (let i = 0; i < 100; i++) t = tuple(t);
    const frame = encodeControl(tuple(2, atom(''), new Pid(me, 1, 0, 2)), t);
    for (const maxDepth of [0, 1, 2, 50, 99, 100, 101, 1000]) expectSame(frame, { maxDepth });
    expect(() => decodeControl(frame, { maxDepth: 50 })).toThrow(EtfError);
    expect(exactEqual(decodeControl(frame, { maxDepth: 100 }).payload!, t)).toBe(true);
  });
});

describe('small terms written by recursion', () => {
  it('random terms: the same bytes as the general encoder writes them below 64 levels of tuples', () => {
    const r = rng(22);
    for (let i = 0; i < 2000; i++) {
      const t: Term = randomTerm(r, 0);
      let deep: Term = t;
      for (let k = 0; k < 70; k++) deep = tuple(deep);
      for (const opts of [{}, { minorVersion: 2 as const }, { utf8Atoms: true }]) {
        const own = encode(t, opts).subarray(1);
        const below = encode(deep, opts).subarray(1 + 2 * 70);
        expect(Buffer.from(own).equals(Buffer.from(below))).toBe(true);
      }
    }
  });
});
