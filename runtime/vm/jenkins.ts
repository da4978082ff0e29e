// Bob Jenkins' 32-bit mix and block hash, as BEAM uses them for phash2 (runtime/vm/phash.ts) and
// for its internal term hash (runtime/vm/internal_hash.ts).

export const HCONST = 0x9e3779b9;

/** H[n] = HCONST * n in 32 bits: the constants the kinds of terms mix in with. */
export const H: readonly number[] = Array.from({ length: 23 }, (_, n) => Math.imul(HCONST, n) >>> 0);

// the mix works on three words; it leaves them here
let ma = 0;
let mb = 0;
let mc = 0;

function mix(a: number, b: number, c: number): void {
  a = (a - b - c) ^ (c >>> 13);
  b = (b - c - a) ^ (a << 8);
  c = (c - a - b) ^ (b >>> 13);
  a = (a - b - c) ^ (c >>> 12);
  b = (b - c - a) ^ (a << 16);
  c = (c - a - b) ^ (b >>> 5);
  a = (a - b - c) ^ (c >>> 3);
  b = (b - c - a) ^ (a << 10);
  c = (c - a - b) ^ (b >>> 15);
  ma = a;
  mb = b;
  mc = c;
}

/** Two words mixed into hash with constant k (BEAM's UINT32_HASH_2). */
export function hash2(x: number, y: number, k: number, hash: number): number {
  mix((k + x) | 0, (k + y) | 0, hash | 0);
  return mc >>> 0;
}

/** Jenkins' hash of the first `length` bytes of k, from initval. */
export function blockHash(k: Uint8Array, length: number, initval: number): number {
  let a = HCONST | 0;
  let b = HCONST | 0;
  let c = initval | 0;
  let i = 0;
  let len = length;
  const w = (j: number) => k[j] | (k[j + 1] << 8) | (k[j + 2] << 16) | (k[j + 3] << 24);
  while (len >= 12) {
    mix((a + w(i)) | 0, (b + w(i + 4)) | 0, (c + w(i + 8)) | 0);
    a = ma;
    b = mb;
    c = mc;
    i += 12;
    len -= 12;
  }
  c = (c + length) | 0;
  // the last bytes: c's low byte is the length's
  if (len >= 11) c = (c + (k[i + 10] << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9] << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8] << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7] << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6] << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5] << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]) | 0;
  if (len >= 4) a = (a + (k[i + 3] << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2] << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1] << 8)) | 0;
  if (len >= 1) a = (a + k[i]) | 0;
  mix(a, b, c);
  return mc >>> 0;
}
