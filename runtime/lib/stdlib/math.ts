// Module math: float functions. A non-number argument or a result outside the floats
// (domain errors, overflow) raises badarith, with OTP's argument explanations.

import { Term, float } from '../../vm/term.js';
import { bifError } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { A, num } from '../common.js';

const M = 'math';

// A non-number is badarg; a number outside the domain or a result beyond the floats is badarith.
/** Functions whose failure on a number means the number is outside their domain. */
const DOMAIN = new Set(['acos', 'acosh', 'asin', 'atanh', 'log', 'log2', 'log10', 'sqrt']);

function fail(name: string, args: Term[]): never {
  const why: Record<number, string> = {};
  args.forEach((a, i) => {
    if (num(a) === undefined) why[i + 1] = 'not a number';
  });
  if (Object.keys(why).length === 0) {
    if (DOMAIN.has(name)) why[1] = 'is outside the domain for this function';
    else if (name === 'fmod' && num(args[1]) === 0) why[2] = 'is outside the domain for this function';
  }
  const notNumber = args.some((a) => num(a) === undefined);
  throw bifError(notNumber ? A.badarg : A.badarith, M, name, args, Object.keys(why).length ? why : undefined);
}

function unary(name: string, f: (x: number) => number): void {
  defineBif(M, name, 1, (x) => {
    const v = num(x);
    if (v === undefined) fail(name, [x]);
    const r = f(v);
    if (!Number.isFinite(r)) fail(name, [x]);
    return float(r);
  });
}

function binary(name: string, f: (x: number, y: number) => number): void {
  defineBif(M, name, 2, (x, y) => {
    const a = num(x);
    const b = num(y);
    if (a === undefined || b === undefined) fail(name, [x, y]);
    const r = f(a, b);
    if (!Number.isFinite(r)) fail(name, [x, y]);
    return float(r);
  });
}

defineBif(M, 'pi', 0, () => float(Math.PI));
unary('sin', Math.sin);
unary('cos', Math.cos);
unary('tan', Math.tan);
unary('asin', Math.asin);
unary('acos', Math.acos);
unary('atan', Math.atan);
unary('sinh', Math.sinh);
unary('cosh', Math.cosh);
unary('tanh', Math.tanh);
unary('asinh', Math.asinh);
unary('acosh', Math.acosh);
unary('atanh', Math.atanh);
unary('exp', Math.exp);
unary('log', (x) => (x <= 0 ? NaN : Math.log(x)));
unary('log2', (x) => (x <= 0 ? NaN : Math.log2(x)));
unary('log10', (x) => (x <= 0 ? NaN : Math.log10(x)));
unary('sqrt', Math.sqrt);
unary('erf', erf);
unary('erfc', (x) => 1 - erf(x));
unary('floor', Math.floor);
unary('ceil', Math.ceil);
binary('atan2', Math.atan2);
binary('pow', Math.pow);
binary('fmod', (x, y) => x % y);

/** The error function (Abramowitz-Stegun 7.1.26 is too coarse: use a series / continued fraction). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = 0;
    let term = ax;
    for (let n = 0; n < 100; n++) {
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
      term *= (-ax * ax) / (n + 1);
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // continued fraction for erfc
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x < 0 ? erfc - 1 : 1 - erfc;
}


