// Hostile external-term-format inputs from issue 19's red-team pass: small on the wire, huge once
// inflated or decoded.

import { deflateSync } from 'node:zlib';

/** n nested 1-tuples around [] ({{{...{[]}...}}}), without the version byte: 2n+1 bytes. */
export function nestedTuples(n: number): Uint8Array {
  const b = new Uint8Array(2 * n + 1);
  for (let i = 0; i < n; i++) {
    b[2 * i] = 104;
    b[2 * i + 1] = 1;
  }
  b[2 * n] = 106;
  return b;
}

/** A list of n []s, without the version byte: n+6 bytes. */
export function nilList(n: number): Uint8Array {
  const b = new Uint8Array(5 + n + 1);
  b[0] = 108;
  new DataView(b.buffer).setUint32(1, n);
  b.fill(106, 5);
  return b;
}

/** 131 | 80 | Size | zlib(body): a compressed term. */
export function compressed(body: Uint8Array): Uint8Array {
  const z = deflateSync(body, { level: 9 });
  const out = new Uint8Array(6 + z.length);
  out[0] = 131;
  out[1] = 80;
  new DataView(out.buffer).setUint32(2, body.length);
  out.set(z, 6);
  return out;
}

/** 131 and a term body. */
export function plain(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = 131;
  out.set(body, 1);
  return out;
}

/** A positive bignum of `bytes` digit bytes (LARGE_BIG_EXT body) and its value. */
export function bignum(bytes: number): { body: Uint8Array; value: bigint } {
  const body = new Uint8Array(6 + bytes);
  body[0] = 111;
  new DataView(body.buffer).setUint32(1, bytes);
  body[5] = 0;
  for (let i = 0; i < bytes; i++) body[6 + i] = (i * 7 + 3) & 255;
  body[6 + bytes - 1] |= 1; // the top digit non-zero: the smallest encoding
  const value = BigInt('0x' + Buffer.from(body.subarray(6)).reverse().toString('hex'));
  return { body, value };
}
