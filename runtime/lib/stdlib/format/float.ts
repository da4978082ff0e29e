// Floats as Erlang writes them.
//
// formatFloat is float_to_list(F, [short]) (what ~w and ~p print): the shortest digits that
// read back to the same double, in plain or exponent form, whichever is shorter; from 2^53 up
// always in exponent form. floatToList is float_to_list/1,2: digits computed from the exact
// binary value with BigInt arithmetic, so every digit matches the C library erts uses.

const TWO_POW_53 = 9007199254740992;

/** Shortest round-trip digits of |v| (v finite, non-zero): digits and decimal exponent of the first. */
function shortestDigits(v: number): { digits: string; exp: number } {
  // toExponential() with no argument gives exactly the digits needed to identify the double.
  const s = Math.abs(v).toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  return { digits: mant, exp: Number(s.slice(e + 1)) };
}

function isNegative(v: number): boolean {
  return v < 0 || Object.is(v, -0);
}

/** float_to_list(V, [short]): 0.30000000000000004, 1.0e10, 3.0e-5, 1.0, -0.0 */
export function formatFloat(v: number): string {
  const sign = isNegative(v) ? '-' : '';
  if (v === 0) return sign + '0.0';
  const { digits, exp } = shortestDigits(v);
  const n = digits.length;
  const expText = (d: string) => d[0] + '.' + (d.length > 1 ? d.slice(1) : '0') + 'e' + exp;
  if (Math.abs(v) >= TWO_POW_53) return sign + expText(digits);
  // place: where the decimal point goes, counted in digits from the left
  const place = exp + 1;
  if (place > 0 && place < n) return sign + digits.slice(0, place) + '.' + digits.slice(place);
  // the exponent form costs its exponent, the 'e' and the ".0" a single digit needs
  const expCost = String(exp).length + 1 + (n === 1 ? 2 : 1);
  if (place <= 0) {
    if (2 - place <= expCost) return sign + '0.' + '0'.repeat(-place) + digits;
    return sign + expText(digits);
  }
  if (place - n + 2 <= expCost) return sign + digits + '0'.repeat(place - n) + '.0';
  return sign + expText(digits);
}

// ---------- exact decimal expansion ----------

/** |v| = mant * 2^exp2 exactly (v finite). */
function decompose(v: number): { mant: bigint; exp2: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) {
    exp2 = -1074;
  } else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  return { mant, exp2 };
}

const pow10cache: bigint[] = [];
function pow10(n: number): bigint {
  let p = pow10cache[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    pow10cache[n] = p;
  }
  return p;
}

/** round(|v| * 10^scale) with ties away from zero (tiesEven: ties to even) — scale may be negative. */
function scaledRound(v: number, scale: number, tiesEven: boolean): bigint {
  const { mant, exp2 } = decompose(v);
  let num = mant;
  let den = 1n;
  if (exp2 >= 0) num <<= BigInt(exp2);
  else den <<= BigInt(-exp2);
  if (scale >= 0) num *= pow10(scale);
  else den *= pow10(-scale);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (!tiesEven || (q & 1n) === 1n))) return q + 1n;
  return q;
}

/** The decimal exponent of the leading digit of |v| (v non-zero). */
function leadingExponent(v: number): number {
  const { mant, exp2 } = decompose(v);
  // estimate, then correct by comparing with powers of ten exactly
  let e = Math.floor(Math.log10(Math.abs(v)));
  const ge = (k: number) => {
    // |v| >= 10^k ?
    let num = mant;
    let den = 1n;
    if (exp2 >= 0) num <<= BigInt(exp2);
    else den <<= BigInt(-exp2);
    if (k >= 0) den *= pow10(k);
    else num *= pow10(-k);
    return num >= den;
  };
  while (!ge(e)) e--;
  while (ge(e + 1)) e++;
  return e;
}

/** printf("%.*e"): `decimals` digits after the point, exponent with sign and at least two digits. */
export function formatScientific(v: number, decimals: number): string {
  const sign = isNegative(v) ? '-' : '';
  let digits: string;
  let e: number;
  if (v === 0) {
    digits = '0'.repeat(decimals + 1);
    e = 0;
  } else {
    e = leadingExponent(v);
    let q = scaledRound(v, decimals - e, true);
    if (q >= pow10(decimals + 1)) {
      e++;
      q = scaledRound(v, decimals - e, true);
    }
    digits = q.toString();
  }
  const mantissa = decimals > 0 ? digits[0] + '.' + digits.slice(1) : digits;
  const ae = Math.abs(e);
  return sign + mantissa + 'e' + (e < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
}

/**
 * float_to_list(V, [{decimals, N}]) as erts computes it: below 2^53 and with fewer than 19
 * decimals, the fraction is scaled in double arithmetic and rounded half away from zero
 * (so 1.5e-10 gives 0.0000000002, 1.005 gives 1.00); otherwise printf's exact "%.*f".
 */
export function formatDecimals(v: number, decimals: number, compact = false): string {
  const sign = isNegative(v) ? '-' : '';
  const af = Math.abs(v);
  let s: string;
  // printf's path strips trailing zeros even with no decimals (100.0e15 compact is "1"), as erts does
  let stripAlways = false;
  if (af > TWO_POW_53 || decimals >= 19) {
    stripAlways = true;
    const q = af === 0 ? 0n : scaledRound(af, decimals, true);
    s = q.toString();
    if (decimals > 0) {
      if (s.length <= decimals) s = '0'.repeat(decimals - s.length + 1) + s;
      s = s.slice(0, s.length - decimals) + '.' + s.slice(s.length - decimals);
    }
  } else if (decimals === 0) {
    s = BigInt(Math.round(af)).toString();
  } else {
    const p10 = 10 ** decimals;
    let int = Math.floor(af);
    let frac = Math.round((af - int) * p10);
    if (frac >= p10) {
      int += 1;
      frac = 0;
    }
    s = BigInt(int).toString() + '.' + BigInt(frac).toString().padStart(decimals, '0');
  }
  s = sign + s;
  // erts formats into a 256-byte buffer
  if (s.length > 255) throw new FloatOptionError('too long');
  if (compact && (decimals > 0 || stripAlways)) s = s.replace(/0+$/, '').replace(/\.$/, '.0');
  return s;
}

export type FloatToListOption =
  | { decimals: number }
  | { scientific: number }
  | 'compact'
  | 'short';

/** Why float_to_list/2 refuses its arguments; the caller raises badarg. */
export class FloatOptionError extends Error {}

/**
 * float_to_list/1,2. Without options: "1.00000000000000000000e+00". Options are applied as erts
 * does: the last of decimals/scientific/short wins, compact only affects decimals.
 * Throws FloatOptionError where erlang:float_to_list/2 raises badarg.
 */
export function floatToList(v: number, opts: FloatToListOption[] = []): string {
  let mode: 'scientific' | 'decimals' | 'short' = 'scientific';
  let n = 20;
  let compact = false;
  for (const o of opts) {
    if (o === 'compact') compact = true;
    else if (o === 'short') mode = 'short';
    else if ('decimals' in o) {
      if (!Number.isInteger(o.decimals) || o.decimals < 0 || o.decimals > 253) throw new FloatOptionError('decimals');
      mode = 'decimals';
      n = o.decimals;
    } else {
      if (!Number.isInteger(o.scientific) || o.scientific < 0 || o.scientific > 249) throw new FloatOptionError('scientific');
      mode = 'scientific';
      n = o.scientific;
    }
  }
  if (mode === 'short') return formatFloat(v);
  if (mode === 'scientific') return formatScientific(v, n);
  return formatDecimals(v, n, compact);
}

/** The digits and exponent io_lib_format works from: float_to_list/1's 21 digits, exponent + 1. */
export function floatData(v: number): { digits: string; exp: number } {
  const s = formatScientific(Math.abs(v), 20);
  const e = s.indexOf('e');
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) + 1 };
}
