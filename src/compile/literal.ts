// Constants: expressions whose value is known at compile time (literals, and operators applied to
// them, like -1 or 16#ff band 3), and the JavaScript that builds such a term once per module.

import type { Expr } from '../ast.js';
import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  List,
  NIL,
  Term,
  Tuple,
  atom,
  canonical,
  charlist,
  list,
} from '../../runtime/vm/term.js';
import * as ops from '../../runtime/vm/ops.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { BinBuilder } from '../../runtime/vm/bitsyntax.js';
import type { ModuleCtx } from './context.js';
import { literalTerm } from '../parse/literal.js';
import { jsString } from './context.js';

const UNARY: Record<string, (a: Term) => Term> = {
  '-': ops.neg,
  '+': ops.pos,
  bnot: ops.bnot,
  not: ops.not,
};

/** The binary operators the compiler computes on literals (lint.ts warns when one cannot succeed). */
export const BINARY: Record<string, (a: Term, b: Term) => Term> = {
  '+': ops.add,
  '-': ops.sub,
  '*': ops.mul,
  '/': ops.fdiv,
  div: ops.idiv,
  rem: ops.rem,
  band: ops.band,
  bor: ops.bor,
  bxor: ops.bxor,
  bsl: ops.bsl,
  bsr: ops.bsr,
  '++': ops.append,
};

/** The value of a constant expression, or undefined when it is not constant (or would raise). */
export function constValue(e: Expr): Term | undefined {
  return literalTerm(e, foldedValue);
}

/** Constants beyond literals: binaries of constant segments, and operators applied to constants. */
function foldedValue(e: Expr): Term | undefined {
  switch (e.type) {
    case 'bin':
      return constBinary(e);
    case 'op': {
      if (e.args.length === 1) {
        const f = UNARY[e.op] as ((a: Term) => Term) | undefined;
        if (f === undefined) return undefined;
        const a = constValue(e.args[0]);
        if (a === undefined) return undefined;
        return attempt(() => f(a));
      }
      const f = BINARY[e.op];
      if (!f) return undefined;
      const a = constValue(e.args[0]);
      if (a === undefined) return undefined;
      const b = constValue(e.args[1]);
      if (b === undefined) return undefined;
      return attempt(() => f(a, b));
    }
    default:
      return undefined;
  }
}

function attempt(f: () => Term): Term | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof ErlangException) return undefined;
    throw err;
  }
}

/** A string literal's term: its characters' code points. */
export const stringTerm = charlist;

const MAX_CONST_SEGMENT_BITS = 64 * 1024;

/** A binary whose segments are all constant integers/strings with literal sizes (the common <<"abc">> and <<1,2,3>>). */
function constBinary(e: Expr & { type: 'bin' }): Term | undefined {
  const b = new BinBuilder();
  let seg = 0;
  for (const el of e.elements) {
    seg++;
    const specs = el.specs ?? [];
    const plain = specs.every((s) => typeof s === 'string' && (s === 'integer' || s === 'big' || s === 'unsigned' || s === 'signed'));
    if (!plain) return undefined;
    let size = 8;
    if (el.size) {
      const sv = constValue(el.size);
      // a big one is built when it runs: as a constant it would be a JS array literal of its bytes
      if (typeof sv !== 'number' || sv > MAX_CONST_SEGMENT_BITS) return undefined;
      size = sv;
    }
    if (el.value.type === 'string') {
      for (const ch of el.value.value) {
        const r = attempt(() => (b.int(ch.codePointAt(0)!, size, false, seg), NIL));
        if (r === undefined) return undefined;
      }
      continue;
    }
    const v = constValue(el.value);
    if (typeof v !== 'number' && typeof v !== 'bigint') return undefined;
    const r = attempt(() => (b.int(v, size, false, seg), NIL));
    if (r === undefined) return undefined;
  }
  return b.done();
}

/** Is this a constant expression (so it can be hoisted)? */
export function isConst(e: Expr): boolean {
  return constValue(e) !== undefined;
}

/**
 * A JS expression for a constant term: small integers inline, everything else a module-level
 * constant built once (terms are immutable, so sharing is safe).
 */
export function constJs(mod: ModuleCtx, t: Term): string {
  if (typeof t === 'number') return t < 0 ? `(${t})` : String(t);
  if (typeof t === 'bigint') return t < 0n ? `(${t}n)` : `${t}n`;
  if (t instanceof Atom) return mod.atom(t.name);
  if (t === NIL) return 'NIL';
  // the JS names its parts by their own hoisted constants, so it is the term's key itself: a
  // nested constant costs its size once (a canonical text per level would cost depth × size)
  return mod.hoist(buildJs(mod, t));
}

function buildJs(mod: ModuleCtx, t: Term): string {
  if (typeof t === 'number' || typeof t === 'bigint' || t instanceof Atom || t === NIL) return constJs(mod, t);
  if (t instanceof ErlFloat) return `new ErlFloat(${floatJs(t.value)})`;
  if (t instanceof Tuple) return `new Tuple([${t.elements.map((x) => constJs(mod, x)).join(', ')}])`;
  if (t instanceof List) {
    // strings: one array of code points
    const items: Term[] = [];
    let l: Term = t;
    while (l instanceof List) {
      items.push(l.head);
      l = l.tail;
    }
    if (l === NIL && items.every((x) => typeof x === 'number')) return `H.arrayToList(${JSON.stringify(items)})`;
    return `list([${items.map((x) => constJs(mod, x)).join(', ')}], ${constJs(mod, l)})`;
  }
  if (t instanceof Bin) return `new Bin(Uint8Array.from(${JSON.stringify(Array.from(t.bytes))}), ${t.bitSize})`;
  if (t instanceof ErlMap) {
    const kvs = t.sorted().flatMap(([k, v]) => [constJs(mod, k), constJs(mod, v)]);
    return `H.mapFrom([${kvs.join(', ')}])`;
  }
  throw new Error('not a literal term');
}

export function floatJs(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export { jsString };
