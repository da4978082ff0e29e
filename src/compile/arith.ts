// Integer fast paths for +, - and *, written into the code that uses them. Integers are JS numbers
// while safe (runtime/vm/ops.ts), so when both operands are numbers and the result stays safe the
// JS operator is the Erlang one; anything else (bigints, floats, overflow, a bad operand) goes to
// the operator's function as before. Inline, each site keeps its own type feedback: a shared
// add/sub sees every module's bigints and floats and V8 stops trusting it (deopts "not a Smi").

import { SIMPLE } from './bifs.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** An integer literal small enough that MAX - k is exact. */
function smallLiteral(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 31;
}

/**
 * The JS of `a op b` with an inline integer path, or undefined when there is none for this op or
 * these operands. `slow` is the JS the general case compiles to; `tmp` gives a fresh variable.
 * a and b must be evaluated once each: only identifiers and literals are repeated.
 */
export function inlineArithJs(op: string, a: string, b: string, aConst: unknown, bConst: unknown, slow: string, tmp: () => string): string | undefined {
  if (op === '*') {
    if (!(SIMPLE.test(a) || smallLiteral(aConst)) || !(SIMPLE.test(b) || smallLiteral(bConst))) return undefined;
    if (!SIMPLE.test(a) && !SIMPLE.test(b)) return undefined;
    // a product within the safe range is exact; + 0 makes -0 (0 * -3) the integer 0
    const t = tmp();
    const types = [SIMPLE.test(a) ? `typeof ${a} === 'number'` : '', SIMPLE.test(b) ? `typeof ${b} === 'number'` : ''].filter(Boolean).join(' && ');
    return `(${types} && (${t} = ${a} * ${b}) <= ${MAX} && ${t} >= ${-MAX} ? ${t} + 0 : ${slow})`;
  }
  if (op !== '+' && op !== '-') return undefined;
  const aVar = SIMPLE.test(a);
  const bVar = SIMPLE.test(b);
  if (aVar && smallLiteral(bConst)) {
    // X + k, X - k: one bound to test
    const k = op === '+' ? bConst : -bConst;
    const bound = k >= 0 ? `${a} <= ${MAX - k}` : `${a} >= ${-MAX - k}`;
    return `(typeof ${a} === 'number' && ${bound} ? ${a} ${op} ${b} : ${slow})`;
  }
  if (op === '+' && bVar && smallLiteral(aConst)) {
    const bound = aConst >= 0 ? `${b} <= ${MAX - aConst}` : `${b} >= ${-MAX - aConst}`;
    return `(typeof ${b} === 'number' && ${bound} ? ${a} + ${b} : ${slow})`;
  }
  if (aVar && bVar) {
    const t = tmp();
    return `(typeof ${a} === 'number' && typeof ${b} === 'number' && (${t} = ${a} ${op} ${b}) <= ${MAX} && ${t} >= ${-MAX} ? ${t} : ${slow})`;
  }
  return undefined;
}
