// Float text as OTP writes it: float_to_list/1,2 ("%.20e", {decimals,N}, {scientific,N}, short)
// and the shortest round-trip form used by ~w, ~p and io_lib:write.
// Rounding works on the exact binary value (a double is m * 2^e, so its decimal expansion is finite).

/** The exact decimal expansion of |x|: all significant digits and where the decimal point goes. */
function exactDigits(x: number): { digits: string; point: number } {
  x = Math.abs(x);
  if (x === 0) return { digits: '0', point: 1 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) {
    const s = (mant << BigInt(exp)).toString();
    return { digits: s, point: s.length };
  }
  const k = -exp;
  const s = (mant * 5n ** BigInt(k)).toString();
  // value = s * 10^-k
  return { digits: s, point: s.length - k };
}

type Tie = 'even' | 'away';

/**
 * Round the digit string to `keep` digits (keep may be 0 or negative: everything is dropped).
 * Returns the kept digits (possibly one longer after a carry) and whether a carry added a digit.
 */
function roundDigits(digits: string, keep: number, tie: Tie): { digits: string; carried: boolean } {
  if (keep >= digits.length) return { digits: digits + '0'.repeat(keep - digits.length), carried: false };
  const kept = keep > 0 ? digits.slice(0, keep) : '';
  const dropped = keep >= 0 ? digits.slice(keep) : '0'.repeat(-keep) + digits;
  const first = dropped.charCodeAt(0) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else if (/[1-9]/.test(dropped.slice(1))) up = true;
  else if (tie === 'away') up = true;
  else up = kept.length > 0 && (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  const base = keep > 0 ? kept : '';
  if (!up) return { digits: keep > 0 ? base : '', carried: false };
  // add one to the last kept digit
  if (base === '') return { digits: '1', carried: true };
  const inc = (BigInt(base) + 1n).toString();
  const padded = inc.padStart(base.length, '0');
  return { digits: padded, carried: padded.length > base.length };
}

/** "%.{n}e" as C's printf writes it (exact value, ties to even), exponent with at least two digits. */
export function formatScientific(x: number, n: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let { digits, point } = exactDigits(x);
  let exp: number;
  let mant: string;
  if (digits === '0') {
    mant = '0'.repeat(n + 1);
    exp = 0;
  } else {
    const r = roundDigits(digits, n + 1, 'even');
    mant = r.digits;
    exp = point - 1;
    if (r.carried) {
      mant = mant.slice(0, n + 1);
      exp++;
    }
  }
  const e = Math.abs(exp).toString().padStart(2, '0');
  return sign + mant[0] + (n > 0 ? '.' + mant.slice(1) : '') + 'e' + (exp < 0 ? '-' : '+') + e;
}

/** float_to_list(F): "%.20e". */
export function formatFloatDefault(x: number): string {
  return formatScientific(x, 20);
}

/** float_to_list(F, [{decimals, N}]) (exact value, ties away from zero), optionally compact. */
export function formatDecimals(x: number, n: number, compact: boolean): string {
  const { digits, point } = exactDigits(x);
  let intPart: string;
  let frac: string;
  if (digits === '0') {
    intPart = '0';
    frac = '0'.repeat(n);
  } else {
    const keep = point + n;
    const r = roundDigits(digits, keep, 'away');
    const all = r.digits;
    const intLen = point + (r.carried ? 1 : 0);
    if (keep <= 0 && r.digits === '1') {
      // rounded up from below the last place: 10^-n
      intPart = n === 0 ? '1' : '0';
      frac = n === 0 ? '' : '0'.repeat(n - 1) + '1';
    } else if (keep <= 0) {
      intPart = '0';
      frac = '0'.repeat(n);
    } else if (intLen <= 0) {
      intPart = '0';
      frac = ('0'.repeat(-intLen) + all).slice(0, n);
      frac = frac.padEnd(n, '0');
    } else {
      intPart = all.slice(0, intLen) || '0';
      frac = all.slice(intLen).padEnd(n, '0');
    }
  }
  if (compact) {
    frac = frac.replace(/0+$/, '');
    if (frac === '' && n > 0) frac = '0';
  }
  const negative = x < 0 || Object.is(x, -0) ? '-' : '';
  return negative + intPart + (n > 0 ? '.' + frac : '');
}

/**
 * The shortest text that reads back as the same float (float_to_list(F, [short]), ~w, ~p):
 * the shortest round-trip digits, in plain or exponent form. The choice follows erts
 * (its to_chars): plain while the exponent stays in a window that depends on the digit count,
 * and never plain for integral values at or beyond 2^53 (100.0, 1.0e3, 0.0001, 1.2345e-4).
 */
export function formatShort(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const e = Math.abs(x).toExponential(); // shortest round-trip digits: d.ddde±x
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const digits = m[1] + (m[2] ?? '');
  const sciExp = Number(m[3]);
  const n = digits.length;
  const exp = sciExp - n + 1; // value = digits * 10^exp
  let lower: number;
  let upper: number;
  if (n === 1) {
    lower = -4;
    upper = 2;
  } else {
    lower = -(n + 2);
    upper = sciExp >= 10 ? 2 : 1;
  }
  let plain = lower <= exp && exp <= upper;
  if (plain) {
    const out = BigInt(digits);
    if ((exp === 0 && out >= 2n ** 53n) || (exp === 1 && out > 2n ** 52n / 5n) || (exp === 2 && out > 2n ** 51n / 25n)) plain = false;
  }
  if (!plain) return sign + digits[0] + '.' + (n > 1 ? digits.slice(1) : '0') + 'e' + sciExp;
  if (exp >= 0) return sign + digits + '0'.repeat(exp) + '.0';
  const whole = n + exp;
  if (whole > 0) return sign + digits.slice(0, whole) + '.' + digits.slice(whole);
  return sign + '0.' + '0'.repeat(-whole) + digits;
}
