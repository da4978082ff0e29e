// The bit syntax at run time: building binaries segment by segment (<<X:16/little, B/binary>>)
// and reading them back in patterns. Compiled code drives a BinBuilder or a BinReader; every
// segment's size arrives already multiplied by its unit, in bits.
//
// Construction errors are error:badarg with OTP's cause {Segment, Type, What, Value}
// (What: type | size | short | unit | invalid | no_float), which compiled code puts in its frame's
// error_info so the shell prints `*** segment 1 of type 'integer': expected an integer but got: foo`.

import { Atom, Bin, ErlFloat, Term, Tuple, atom, normInt, tuple } from './term.js';
import { ErlangException, erlError } from './exception.js';
import { chargeElements } from './scheduler.js';

const BADARG = atom('badarg');

/**
 * error:badarg (or system_limit, for a size too large to build) from a failed segment; the cause
 * waits here until a frame picks it up.
 */
export class BinSegmentError extends ErlangException {
  constructor(
    readonly cause: Tuple,
    reason: Atom = BADARG,
  ) {
    super(atom('error'), reason);
  }
}

function segFail(seg: number, type: string, what: string, value: Term): BinSegmentError {
  return new BinSegmentError(tuple(seg, atom(type), atom(what), value));
}

/**
 * The most bits one segment may have: 1 GB. BEAM tries any size its words can count (and the
 * whole node dies when the allocation fails); terl refuses beyond this with the system_limit BEAM
 * gives for sizes beyond its own limit: `the size N is too large`.
 */
export const MAX_SEGMENT_BITS = 2 ** 33;

/** A size that is a non-negative integer, but too large to build: system_limit. */
function tooLarge(size: Term): boolean {
  return (typeof size === 'bigint' && size > 0n) || (typeof size === 'number' && size > MAX_SEGMENT_BITS);
}

function sizeFail(seg: number, type: string, size: Term): BinSegmentError {
  if (tooLarge(size)) return new BinSegmentError(tuple(seg, atom(type), atom('size'), size), SYSTEM_LIMIT);
  return segFail(seg, type, 'size', size);
}

const SYSTEM_LIMIT = atom('system_limit');

/** The low `size` bits of v (two's complement), right-aligned in ceil(size / 8) bytes: linear in size. */
function lowBytes(v: number | bigint, size: number): Uint8Array {
  const n = Math.ceil(size / 8);
  const big = BigInt(v);
  const neg = big < 0n;
  let hex = (neg ? -big : big).toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  const mag = Buffer.from(hex, 'hex');
  const out = new Uint8Array(n);
  const take = Math.min(n, mag.length);
  out.set(mag.subarray(mag.length - take), n - take);
  if (neg) {
    let carry = 1;
    for (let i = n - 1; i >= 0; i--) {
      const x = (~out[i] & 0xff) + carry;
      out[i] = x & 0xff;
      carry = x >> 8;
    }
  }
  return out;
}

const F64 = new DataView(new ArrayBuffer(8));

// ---------- half precision floats (16-bit) ----------

function toHalf(v: number): number {
  F64.setFloat32(0, v);
  const x = F64.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shiftBy = 14 - e;
    let h = mant >> shiftBy;
    if ((mant >> (shiftBy - 1)) & 1) h += 1; // round
    return sign | h;
  }
  let h = sign | (e << 10) | (mant >> 13);
  if (mant & 0x1000) h += 1; // round half up (carries into the exponent correctly)
  return h;
}

function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// ---------- building ----------

/** Bits from which a binary copied into a new one is charged (8 KB: small ones stay as fast). */
const COPY_CHARGED = 65536;

// Appending to a binary in place. `<<Acc/binary, X>>` in a loop copied Acc every time: building
// a binary a byte at a time was quadratic (100,000 bytes took 1.7 s; erl takes 2 ms, as BEAM
// leaves room after a binary made by appending and writes the next append there). Here too: a
// long binary that a builder made keeps its buffer's spare room, and the buffer remembers how far
// it is used (`used`). A builder whose first segment is the whole of a binary ending exactly there
// writes on after it in the same buffer instead of copying it. No binary ever changes: each one is
// a view of its own length, and the bytes written are past every view's end; a second append to
// the same binary finds the buffer used further and copies, as before. The last such buffer is
// remembered outside the WeakMap (one buffer kept alive until the next), which a loop hits every time.

/** Binaries shorter than this are copied: the copy is cheap and a buffer's spare room is not kept. */
const APPEND_IN_PLACE = 256;
/** For buffers with spare room after the binaries made in them: how far they are used (bytes). */
const used = new WeakMap<ArrayBufferLike, number>();
/** The buffer appended to last and its mark, kept out of the WeakMap while a loop appends to it. */
let lastBuffer: ArrayBufferLike | undefined;
let lastUsed = 0;

function usedOf(buffer: ArrayBufferLike): number | undefined {
  return buffer === lastBuffer ? lastUsed : used.get(buffer);
}

function setUsed(buffer: ArrayBufferLike, end: number): void {
  if (buffer !== lastBuffer) {
    if (lastBuffer !== undefined) used.set(lastBuffer, lastUsed);
    lastBuffer = buffer;
  }
  lastUsed = end;
}

const NO_BYTES = new Uint8Array(0);

export class BinBuilder {
  private buf: Uint8Array;
  private bits = 0;

  constructor(sizeHintBytes = 16) {
    // the buffer is made on the first write: an append in place needs none
    this.buf = NO_BYTES;
    this.hint = Math.max(8, sizeHintBytes);
  }

  private readonly hint: number;

  private room(nbits: number): void {
    const need = (this.bits + nbits + 7) >> 3;
    if (need > this.buf.length) {
      const b = new Uint8Array(Math.max(need, this.buf.length * 2, this.hint));
      b.set(this.buf);
      this.buf = b;
    }
  }

  /** Append the low n bits of the non-negative integer u (n ≤ 32, or any n for bigint u), most significant first. */
  private putBits(u: number | bigint, n: number): void {
    this.room(n);
    let bits = this.bits;
    const buf = this.buf;
    if (typeof u === 'number') {
      while (n > 0) {
        const free = 8 - (bits & 7);
        const take = free < n ? free : n;
        const chunk = Math.floor(u / 2 ** (n - take)) % (1 << take);
        buf[bits >> 3] |= chunk << (free - take);
        bits += take;
        n -= take;
      }
    } else {
      while (n > 0) {
        const free = 8 - (bits & 7);
        const take = free < n ? free : n;
        const chunk = Number((u >> BigInt(n - take)) & BigInt((1 << take) - 1));
        buf[bits >> 3] |= chunk << (free - take);
        bits += take;
        n -= take;
      }
    }
    this.bits = bits;
  }

  private putByte(b: number): void {
    if ((this.bits & 7) === 0) {
      this.room(8);
      this.buf[this.bits >> 3] = b;
      this.bits += 8;
    } else this.putBits(b, 8);
  }

  /** An integer segment of `size` bits (size already multiplied by the unit). */
  int(v: Term, size: Term, little: boolean, seg: number): this {
    if (typeof v !== 'number' && typeof v !== 'bigint') throw segFail(seg, 'integer', 'type', v);
    if (typeof size !== 'number' || size < 0 || size > MAX_SEGMENT_BITS) throw sizeFail(seg, 'integer', size);
    if (size === 8 && typeof v === 'number' && (this.bits & 7) === 0) {
      this.room(8);
      this.buf[this.bits >> 3] = v & 0xff;
      this.bits += 8;
      return this;
    }
    if (size === 0) return this;
    if (size <= 32 && typeof v === 'number' && Number.isSafeInteger(v)) {
      const m = 2 ** size;
      let u = v % m;
      if (u < 0) u += m;
      if (!little || size <= 8) this.putBits(u, size);
      else {
        let n = size;
        while (n >= 8) {
          this.putByte(u % 256);
          u = Math.floor(u / 256);
          n -= 8;
        }
        if (n > 0) this.putBits(u, n);
      }
      return this;
    }
    if (v === 0 && (this.bits & 7) === 0) {
      // <<0:N>>: the buffer is zeros already
      this.room(size);
      this.bits += size;
      return this;
    }
    // byte by byte from the value's bytes: linear (shifting a bigint a byte at a time is not)
    const bytes = lowBytes(v, size);
    const top = size - (bytes.length - 1) * 8;
    this.room(size);
    if (!little) {
      this.putBits(bytes[0] & ((1 << top) - 1), top);
      for (let i = 1; i < bytes.length; i++) this.putByte(bytes[i]);
    } else {
      // least significant byte first; the top bits that do not fill a byte come last
      const whole = Math.floor(size / 8);
      for (let i = bytes.length - 1, k = 0; k < whole; i--, k++) this.putByte(bytes[i]);
      if (size % 8 > 0) this.putBits(bytes[0] & ((1 << (size % 8)) - 1), size % 8);
    }
    return this;
  }

  float(v: Term, size: Term, little: boolean, seg: number): this {
    let x: number;
    if (typeof v === 'number') x = v;
    else if (v instanceof ErlFloat) x = v.value;
    else if (typeof v === 'bigint') {
      x = Number(v);
      if (!Number.isFinite(x)) throw segFail(seg, 'float', 'no_float', v);
    } else throw segFail(seg, 'float', 'type', v);
    if (size === 64) {
      F64.setFloat64(0, x, little);
      for (let i = 0; i < 8; i++) this.putByte(F64.getUint8(i));
    } else if (size === 32) {
      F64.setFloat32(0, x, little);
      for (let i = 0; i < 4; i++) this.putByte(F64.getUint8(i));
    } else if (size === 16) {
      const h = toHalf(x);
      if (little) {
        this.putByte(h & 0xff);
        this.putByte(h >> 8);
      } else {
        this.putByte(h >> 8);
        this.putByte(h & 0xff);
      }
    } else if (typeof size !== 'number' || size < 0) throw sizeFail(seg, 'float', size);
    else throw segFail(seg, 'float', 'invalid', size);
    return this;
  }

  /**
   * A binary/bitstring segment. size undefined takes all of v; `unit` is the segment's unit
   * (8 for binary/bytes, 1 for bits/bitstring): without a size, v's length must be a multiple of it.
   */
  bin(v: Term, size: Term | undefined, unit: number, seg: number): this {
    const type = unit === 8 && size === undefined ? 'binary' : 'binary';
    if (!(v instanceof Bin)) throw segFail(seg, type, 'type', v);
    let n: number;
    if (size === undefined) {
      n = v.bitSize;
      if (n % unit !== 0) throw segFail(seg, type, 'unit', v);
      if (this.bits === 0 && n >= APPEND_IN_PLACE * 8 && this.appendTo(v)) return this;
    } else {
      if (typeof size !== 'number' || size < 0) throw sizeFail(seg, type, size);
      n = size;
      if (n > v.bitSize) throw segFail(seg, type, 'short', v);
    }
    this.appendBits(v, n);
    return this;
  }

  /** Start from binary b where it lies, if its buffer has room after it that nothing uses. */
  private appendTo(b: Bin): boolean {
    const bytes = b.bytes;
    if (b.bitSize !== bytes.length * 8) return false;
    const buffer = bytes.buffer;
    const end = bytes.byteOffset + bytes.length;
    if (usedOf(buffer) !== end || end === buffer.byteLength) return false;
    // claimed until done() marks where this binary ends: the writes assume zeros after `used`, so a
    // build that fails halfway leaves the buffer to no one (the next append copies)
    setUsed(buffer, -1);
    this.buf = new Uint8Array(buffer, bytes.byteOffset, buffer.byteLength - bytes.byteOffset);
    this.bits = b.bitSize;
    return true;
  }

  /** Append the first n bits of b. */
  appendBits(b: Bin, n: number): void {
    if (n === 0) return;
    // a long binary is copied whole (<<Acc/binary, X>>): the copy is charged, a byte a sixteenth
    if (n >= COPY_CHARGED) chargeElements(n >>> 7);
    this.room(n);
    if ((this.bits & 7) === 0) {
      const whole = n >> 3;
      this.buf.set(whole === b.bytes.length ? b.bytes : b.bytes.subarray(0, whole), this.bits >> 3);
      this.bits += whole * 8;
      const r = n & 7;
      if (r) this.putBits(b.bytes[whole] >> (8 - r), r);
      return;
    }
    let i = 0;
    for (; n >= 8; n -= 8) this.putBits(b.bytes[i++], 8);
    if (n > 0) this.putBits(b.bytes[i] >> (8 - n), n);
  }

  utf8(v: Term, seg: number): this {
    if (typeof v !== 'number' || v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw segFail(seg, 'utf8', 'type', v);
    if (v < 0x80) this.putByte(v);
    else if (v < 0x800) {
      this.putByte(0xc0 | (v >> 6));
      this.putByte(0x80 | (v & 0x3f));
    } else if (v < 0x10000) {
      this.putByte(0xe0 | (v >> 12));
      this.putByte(0x80 | ((v >> 6) & 0x3f));
      this.putByte(0x80 | (v & 0x3f));
    } else {
      this.putByte(0xf0 | (v >> 18));
      this.putByte(0x80 | ((v >> 12) & 0x3f));
      this.putByte(0x80 | ((v >> 6) & 0x3f));
      this.putByte(0x80 | (v & 0x3f));
    }
    return this;
  }

  utf16(v: Term, little: boolean, seg: number): this {
    if (typeof v !== 'number' || v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw segFail(seg, 'utf16', 'type', v);
    const unit = (u: number): void => {
      if (little) {
        this.putByte(u & 0xff);
        this.putByte(u >> 8);
      } else {
        this.putByte(u >> 8);
        this.putByte(u & 0xff);
      }
    };
    if (v < 0x10000) unit(v);
    else {
      const w = v - 0x10000;
      unit(0xd800 | (w >> 10));
      unit(0xdc00 | (w & 0x3ff));
    }
    return this;
  }

  utf32(v: Term, little: boolean, seg: number): this {
    if (typeof v !== 'number' || v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw segFail(seg, 'utf32', 'type', v);
    return this.int(v, 32, little, seg);
  }

  /** Bytes known at compile time (string literals), byte-aligned or not. */
  bytes(bs: Uint8Array): this {
    if ((this.bits & 7) === 0) {
      this.room(bs.length * 8);
      this.buf.set(bs, this.bits >> 3);
      this.bits += bs.length * 8;
    } else for (const b of bs) this.putBits(b, 8);
    return this;
  }

  done(): Bin {
    const nbytes = (this.bits + 7) >> 3;
    if (nbytes === this.buf.length) return new Bin(this.buf, this.bits);
    if (nbytes < APPEND_IN_PLACE || (this.bits & 7) !== 0) return new Bin(this.buf.slice(0, nbytes), this.bits);
    // a long binary keeps the room after it, for the next append to it (see APPEND_IN_PLACE)
    const bytes = this.buf.subarray(0, nbytes);
    setUsed(bytes.buffer, bytes.byteOffset + nbytes);
    return new Bin(bytes, this.bits);
  }
}

// ---------- matching ----------

/** A cursor over a bitstring for one pattern; each read answers undefined when the segment does not match. */
export class BinReader {
  pos = 0;
  readonly bytes: Uint8Array;
  readonly size: number;

  constructor(b: Bin) {
    this.bytes = b.bytes;
    this.size = b.bitSize;
  }

  get left(): number {
    return this.size - this.pos;
  }

  /** n bits (n ≤ 32) as an unsigned number, most significant first; the caller checked the length */
  private bitsNum(n: number): number {
    let pos = this.pos;
    let r = 0;
    while (n > 0) {
      const avail = 8 - (pos & 7);
      const take = avail < n ? avail : n;
      const chunk = (this.bytes[pos >> 3] >> (avail - take)) & ((1 << take) - 1);
      r = r * (1 << take) + chunk;
      pos += take;
      n -= take;
    }
    this.pos = pos;
    return r;
  }

  private bitsBig(n: number): bigint {
    let r = 0n;
    while (n > 0) {
      const take = n >= 32 ? 32 : n;
      r = (r << BigInt(take)) | BigInt(this.bitsNum(take));
      n -= take;
    }
    return r;
  }

  int(size: Term, signed: boolean, little: boolean): Term | undefined {
    if (typeof size !== 'number' || size < 0 || size > this.size - this.pos) return undefined;
    if (size === 8 && !signed && (this.pos & 7) === 0) {
      const b = this.bytes[this.pos >> 3];
      this.pos += 8;
      return b;
    }
    if (size === 0) return 0;
    if (size <= 32) {
      let u: number;
      if (!little || size <= 8) u = this.bitsNum(size);
      else {
        u = 0;
        let mul = 1;
        let n = size;
        while (n >= 8) {
          u += this.bitsNum(8) * mul;
          mul *= 256;
          n -= 8;
        }
        if (n > 0) u += this.bitsNum(n) * mul;
      }
      if (signed && u >= 2 ** (size - 1)) u -= 2 ** size;
      return u;
    }
    let u: bigint;
    if (!little) u = this.bitsBig(size);
    else {
      u = 0n;
      let sh = 0n;
      let n = size;
      while (n >= 8) {
        u |= BigInt(this.bitsNum(8)) << sh;
        sh += 8n;
        n -= 8;
      }
      if (n > 0) u |= BigInt(this.bitsNum(n)) << sh;
    }
    if (signed && u >= 1n << BigInt(size - 1)) u -= 1n << BigInt(size);
    return normInt(u);
  }

  float(size: Term, little: boolean): Term | undefined {
    if (size !== 64 && size !== 32 && size !== 16) return undefined;
    if (size > this.size - this.pos) return undefined;
    const nb = size >> 3;
    for (let i = 0; i < nb; i++) F64.setUint8(i, this.bitsNum(8));
    let x: number;
    if (size === 64) x = F64.getFloat64(0, little);
    else if (size === 32) x = F64.getFloat32(0, little);
    else x = fromHalf(little ? F64.getUint8(0) | (F64.getUint8(1) << 8) : (F64.getUint8(0) << 8) | F64.getUint8(1));
    if (!Number.isFinite(x)) {
      this.pos -= size;
      return undefined;
    }
    return new ErlFloat(x);
  }

  /** The next n bits as a (sub-)bitstring. */
  bits(n: Term): Bin | undefined {
    if (typeof n !== 'number' || n < 0 || n > this.size - this.pos) return undefined;
    const b = sliceBits(this.bytes, this.pos, n);
    this.pos += n;
    return b;
  }

  /** Everything left; with unit 8 (binary) only when it is a whole number of bytes. */
  rest(unit: number): Bin | undefined {
    const n = this.size - this.pos;
    if (n % unit !== 0) return undefined;
    const b = sliceBits(this.bytes, this.pos, n);
    this.pos = this.size;
    return b;
  }

  /** Does the next part equal these bytes (a string literal in a pattern)? */
  bytesEq(bs: Uint8Array): boolean {
    if (bs.length * 8 > this.size - this.pos) return false;
    const save = this.pos;
    if ((save & 7) === 0) {
      const o = save >> 3;
      for (let i = 0; i < bs.length; i++) if (this.bytes[o + i] !== bs[i]) return false;
      this.pos += bs.length * 8;
      return true;
    }
    for (let i = 0; i < bs.length; i++) {
      if (this.bitsNum(8) !== bs[i]) {
        this.pos = save;
        return false;
      }
    }
    return true;
  }

  utf8(): number | undefined {
    const left = this.size - this.pos;
    if (left < 8) return undefined;
    const save = this.pos;
    const b0 = this.bitsNum(8);
    let n: number;
    let cp: number;
    if (b0 < 0x80) return b0;
    else if ((b0 & 0xe0) === 0xc0) (n = 1), (cp = b0 & 0x1f);
    else if ((b0 & 0xf0) === 0xe0) (n = 2), (cp = b0 & 0x0f);
    else if ((b0 & 0xf8) === 0xf0) (n = 3), (cp = b0 & 0x07);
    else return this.fail(save);
    if (left < 8 * (n + 1)) return this.fail(save);
    for (let i = 0; i < n; i++) {
      const b = this.bitsNum(8);
      if ((b & 0xc0) !== 0x80) return this.fail(save);
      cp = (cp << 6) | (b & 0x3f);
    }
    // reject overlong forms, surrogates and values beyond Unicode
    if ((n === 1 && cp < 0x80) || (n === 2 && cp < 0x800) || (n === 3 && cp < 0x10000)) return this.fail(save);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return this.fail(save);
    return cp;
  }

  utf16(little: boolean): number | undefined {
    const save = this.pos;
    const u1 = this.int(16, false, little) as number | undefined;
    if (u1 === undefined) return undefined;
    if (u1 < 0xd800 || u1 > 0xdfff) return u1;
    if (u1 > 0xdbff) return this.fail(save);
    const u2 = this.int(16, false, little) as number | undefined;
    if (u2 === undefined || u2 < 0xdc00 || u2 > 0xdfff) return this.fail(save);
    return 0x10000 + ((u1 - 0xd800) << 10) + (u2 - 0xdc00);
  }

  utf32(little: boolean): number | undefined {
    const save = this.pos;
    const u = this.int(32, false, little) as number | undefined;
    if (u === undefined) return undefined;
    if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff)) return this.fail(save);
    return u;
  }

  private fail(save: number): undefined {
    this.pos = save;
    return undefined;
  }

  atEnd(): boolean {
    return this.pos === this.size;
  }
}

/** n bits of bytes starting at bit offset pos, as a new Bin (shares memory when byte-aligned). */
export function sliceBits(bytes: Uint8Array, pos: number, n: number): Bin {
  if ((pos & 7) === 0) {
    const start = pos >> 3;
    const end = start + ((n + 7) >> 3);
    if ((n & 7) === 0) return new Bin(bytes.subarray(start, end), n);
    const out = bytes.slice(start, end);
    out[out.length - 1] &= (0xff << (8 - (n & 7))) & 0xff;
    return new Bin(out, n);
  }
  const out = new Uint8Array((n + 7) >> 3);
  const r = new BinReader(new Bin(bytes, bytes.length * 8));
  r.pos = pos;
  let i = 0;
  let left = n;
  for (; left >= 8; left -= 8) out[i++] = r.int(8, false, false) as number;
  if (left > 0) out[i] = ((r.int(left, false, false) as number) << (8 - left)) & 0xff;
  return new Bin(out, n);
}

/** The bitstring parts of a binary comprehension's result, appended. */
export function bitsAppend(builder: BinBuilder, v: Term): void {
  if (!(v instanceof Bin)) throw erlError(BADARG);
  builder.appendBits(v, v.bitSize);
}
