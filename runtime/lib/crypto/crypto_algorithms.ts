// The algorithms crypto offers that node:crypto does not: MD4 (OpenSSL 3 keeps it in the legacy
// provider, which node does not load), CMAC (RFC 4493) and Poly1305 (RFC 8439) as stand-alone MACs,
// and HMAC over any of these digests.

import { createCipheriv } from 'node:crypto';

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

/** MD4 (RFC 1320). */
export function md4(data: Uint8Array): Uint8Array {
  const bitLen = data.length * 8;
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 0x100000000), true);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Uint32Array(16);
  const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
  const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
  const h = (p: number, q: number, r: number) => p ^ q ^ r;
  const rounds: [(p: number, q: number, r: number) => number, number, number[], number[]][] = [
    [f, 0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [3, 7, 11, 19]],
    [g, 0x5a827999, [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15], [3, 5, 9, 13]],
    [h, 0x6ed9eba1, [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15], [3, 9, 11, 15]],
  ];
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(off + 4 * i, true);
    const [a0, b0, c0, d0] = [a, b, c, d];
    for (const [fn, k, order, shifts] of rounds) {
      for (let i = 0; i < 16; i++) {
        const t = rotl((a + fn(b, c, d) + x[order[i]] + k) >>> 0, shifts[i % 4]);
        [a, b, c, d] = [d, t, b, c];
      }
    }
    a = (a + a0) >>> 0;
    b = (b + b0) >>> 0;
    c = (c + c0) >>> 0;
    d = (d + d0) >>> 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  [a, b, c, d].forEach((w, i) => ov.setUint32(4 * i, w, true));
  return out;
}

/** HMAC (RFC 2104) over a digest given as a function, for the digests node cannot HMAC itself. */
export function hmacWith(digest: (d: Uint8Array) => Uint8Array, blockSize: number, key: Uint8Array, data: Uint8Array): Uint8Array {
  let k = key.length > blockSize ? digest(key) : key;
  const padded = new Uint8Array(blockSize);
  padded.set(k);
  k = padded;
  const inner = new Uint8Array(blockSize + data.length);
  for (let i = 0; i < blockSize; i++) inner[i] = k[i] ^ 0x36;
  inner.set(data, blockSize);
  const ih = digest(inner);
  const o = new Uint8Array(blockSize + ih.length);
  for (let i = 0; i < blockSize; i++) o[i] = k[i] ^ 0x5c;
  o.set(ih, blockSize);
  return digest(o);
}

/** CMAC (RFC 4493) over a block cipher in ECB mode (node's name, e.g. aes-128-ecb or des-ede3). */
export function cmac(ecbName: string, blockSize: number, key: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = createCipheriv(ecbName, key, null);
  cipher.setAutoPadding(false);
  const encrypt = (block: Uint8Array): Uint8Array => new Uint8Array(cipher.update(block));
  const rb = blockSize === 16 ? 0x87 : 0x1b;
  const double = (l: Uint8Array): Uint8Array => {
    const out = new Uint8Array(blockSize);
    for (let i = 0; i < blockSize; i++) out[i] = ((l[i] << 1) | (i + 1 < blockSize ? l[i + 1] >> 7 : 0)) & 0xff;
    if (l[0] & 0x80) out[blockSize - 1] ^= rb;
    return out;
  };
  const k1 = double(encrypt(new Uint8Array(blockSize)));
  const k2 = double(k1);
  const n = Math.max(1, Math.ceil(data.length / blockSize));
  const complete = data.length > 0 && data.length % blockSize === 0;
  const last = new Uint8Array(blockSize);
  const lastStart = (n - 1) * blockSize;
  last.set(data.subarray(lastStart));
  if (!complete) last[data.length - lastStart] = 0x80;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < blockSize; i++) last[i] ^= subkey[i];
  let x: Uint8Array = new Uint8Array(blockSize);
  for (let b = 0; b < n - 1; b++) {
    const y = new Uint8Array(blockSize);
    for (let i = 0; i < blockSize; i++) y[i] = x[i] ^ data[b * blockSize + i];
    x = encrypt(y);
  }
  for (let i = 0; i < blockSize; i++) last[i] ^= x[i];
  return encrypt(last);
}

function leBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** Poly1305 (RFC 8439) with a 32-byte one-time key. */
export function poly1305(key: Uint8Array, data: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = leBigInt(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leBigInt(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < data.length; i += 16) {
    const block = data.subarray(i, i + 16);
    const n = leBigInt(block) + (1n << BigInt(8 * block.length));
    acc = ((acc + n) * r) % p;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}
