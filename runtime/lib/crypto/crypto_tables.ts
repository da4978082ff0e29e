// What crypto knows about its algorithms: the digests and ciphers by OTP's names, node's names for
// them, and the facts hash_info/1 and cipher_info/1 report (OpenSSL's NIDs as OTP 25 on OpenSSL 3
// shows them). Lists are in the order crypto:supports/1 gives them, less what node:crypto lacks.

import { getCurves } from 'node:crypto';

export interface HashSpec {
  /** node's name, or undefined for md4 (computed in crypto_algorithms.ts) */
  node: string | undefined;
  size: number;
  blockSize: number;
  nid: number;
}

export const HASHES: ReadonlyMap<string, HashSpec> = new Map<string, HashSpec>([
  ['blake2s', { node: 'blake2s256', size: 32, blockSize: 64, nid: 1057 }],
  ['blake2b', { node: 'blake2b512', size: 64, blockSize: 128, nid: 1056 }],
  ['sha3_512', { node: 'sha3-512', size: 64, blockSize: 72, nid: 1099 }],
  ['sha3_384', { node: 'sha3-384', size: 48, blockSize: 104, nid: 1098 }],
  ['sha3_256', { node: 'sha3-256', size: 32, blockSize: 136, nid: 1097 }],
  ['sha3_224', { node: 'sha3-224', size: 28, blockSize: 144, nid: 1096 }],
  ['sha512', { node: 'sha512', size: 64, blockSize: 128, nid: 674 }],
  ['sha384', { node: 'sha384', size: 48, blockSize: 128, nid: 673 }],
  ['sha256', { node: 'sha256', size: 32, blockSize: 64, nid: 672 }],
  ['sha224', { node: 'sha224', size: 28, blockSize: 64, nid: 675 }],
  ['sha', { node: 'sha1', size: 20, blockSize: 64, nid: 64 }],
  ['ripemd160', { node: 'ripemd160', size: 20, blockSize: 64, nid: 117 }],
  ['md5', { node: 'md5', size: 16, blockSize: 64, nid: 4 }],
  ['md4', { node: undefined, size: 16, blockSize: 64, nid: 257 }],
]);

export type CipherMode = 'cbc_mode' | 'ecb_mode' | 'ctr_mode' | 'cfb_mode' | 'ofb_mode' | 'gcm_mode' | 'ccm_mode' | 'stream_cipher';

export interface CipherSpec {
  name: string;
  node: string;
  blockSize: number;
  ivLength: number;
  keyLength: number;
  mode: CipherMode;
  aead: boolean;
  nid: number | undefined;
}

function spec(name: string, node: string, blockSize: number, ivLength: number, keyLength: number, mode: CipherMode, nid?: number): CipherSpec {
  const aead = mode === 'gcm_mode' || mode === 'ccm_mode' || name === 'chacha20_poly1305';
  return { name, node, blockSize, ivLength, keyLength, mode, aead, nid };
}

const CIPHER_LIST: CipherSpec[] = [
  spec('chacha20', 'chacha20', 1, 16, 32, 'stream_cipher'),
  spec('aes_256_ofb', 'aes-256-ofb', 1, 16, 32, 'ofb_mode', 428),
  spec('aes_192_ofb', 'aes-192-ofb', 1, 16, 24, 'ofb_mode', 424),
  spec('aes_128_ofb', 'aes-128-ofb', 1, 16, 16, 'ofb_mode', 420),
  spec('des_ede3_cfb', 'des-ede3-cfb', 1, 8, 24, 'cfb_mode', 30),
  spec('aes_128_cbc', 'aes-128-cbc', 16, 16, 16, 'cbc_mode', 419),
  spec('aes_192_cbc', 'aes-192-cbc', 16, 16, 24, 'cbc_mode', 423),
  spec('aes_256_cbc', 'aes-256-cbc', 16, 16, 32, 'cbc_mode', 427),
  spec('aes_128_cfb128', 'aes-128-cfb', 1, 16, 16, 'cfb_mode', 421),
  spec('aes_192_cfb128', 'aes-192-cfb', 1, 16, 24, 'cfb_mode', 425),
  spec('aes_256_cfb128', 'aes-256-cfb', 1, 16, 32, 'cfb_mode', 429),
  spec('aes_128_cfb8', 'aes-128-cfb8', 1, 16, 16, 'cfb_mode', 421),
  spec('aes_192_cfb8', 'aes-192-cfb8', 1, 16, 24, 'cfb_mode', 425),
  spec('aes_256_cfb8', 'aes-256-cfb8', 1, 16, 32, 'cfb_mode', 429),
  spec('aes_128_ecb', 'aes-128-ecb', 16, 0, 16, 'ecb_mode', 418),
  spec('aes_192_ecb', 'aes-192-ecb', 16, 0, 24, 'ecb_mode', 422),
  spec('aes_256_ecb', 'aes-256-ecb', 16, 0, 32, 'ecb_mode', 426),
  spec('chacha20_poly1305', 'chacha20-poly1305', 1, 12, 32, 'stream_cipher'),
  spec('aes_256_gcm', 'aes-256-gcm', 1, 12, 32, 'gcm_mode', 901),
  spec('aes_256_ccm', 'aes-256-ccm', 1, 12, 32, 'ccm_mode', 902),
  spec('aes_192_gcm', 'aes-192-gcm', 1, 12, 24, 'gcm_mode', 898),
  spec('aes_192_ccm', 'aes-192-ccm', 1, 12, 24, 'ccm_mode', 899),
  spec('aes_128_gcm', 'aes-128-gcm', 1, 12, 16, 'gcm_mode', 895),
  spec('aes_128_ccm', 'aes-128-ccm', 1, 12, 16, 'ccm_mode', 896),
  spec('aes_256_ctr', 'aes-256-ctr', 1, 16, 32, 'ctr_mode'),
  spec('aes_192_ctr', 'aes-192-ctr', 1, 16, 24, 'ctr_mode'),
  spec('aes_128_ctr', 'aes-128-ctr', 1, 16, 16, 'ctr_mode'),
  spec('des_ede3_cbc', 'des-ede3-cbc', 8, 8, 24, 'cbc_mode', 44),
];

export const CIPHERS: ReadonlyMap<string, CipherSpec> = new Map(CIPHER_LIST.map((c) => [c.name, c]));

/** The key-size-generic AES names: aes_cbc with a 24-byte key is aes_192_cbc. */
const GENERIC_AES: Record<string, string> = {
  aes_cbc: 'cbc',
  aes_ccm: 'ccm',
  aes_cfb128: 'cfb128',
  aes_cfb8: 'cfb8',
  aes_ctr: 'ctr',
  aes_ecb: 'ecb',
  aes_gcm: 'gcm',
};

export function isGenericAes(name: string): boolean {
  return name in GENERIC_AES;
}

/** A cipher by name; a generic AES name needs the key length to choose. */
export function cipherSpec(name: string, keyLength?: number): CipherSpec | undefined {
  const generic = GENERIC_AES[name];
  if (generic === undefined) return CIPHERS.get(name);
  if (keyLength === undefined) return CIPHERS.get(`aes_128_${generic}`);
  return CIPHERS.get(`aes_${keyLength * 8}_${generic}`);
}

/** supports(ciphers): the specific names, then the generic AES ones, as OTP lists them. */
export const CIPHER_NAMES: readonly string[] = [...CIPHER_LIST.map((c) => c.name), ...Object.keys(GENERIC_AES)];

export const MACS = ['cmac', 'hmac', 'poly1305'];

export const PUBLIC_KEYS = ['dh', 'ecdh', 'eddh'];

/** crypto:supports(curves) in OTP 25 on OpenSSL 3, in its order (the Edwards ones last). */
const OTP_EC_CURVES =
  'secp160k1 secp160r1 secp160r2 secp192k1 secp224k1 secp224r1 secp256k1 secp384r1 secp521r1 secp192r1 ' +
  'prime192v1 prime192v2 prime192v3 prime239v1 prime239v2 prime239v3 secp256r1 prime256v1 wtls7 wtls9 wtls12 ' +
  'brainpoolP160r1 brainpoolP160t1 brainpoolP192r1 brainpoolP192t1 brainpoolP224r1 brainpoolP224t1 ' +
  'brainpoolP256r1 brainpoolP256t1 brainpoolP320r1 brainpoolP320t1 brainpoolP384r1 brainpoolP384t1 ' +
  'brainpoolP512r1 brainpoolP512t1 sect163k1 sect163r1 sect163r2 sect193r1 sect193r2 sect233k1 sect233r1 ' +
  'sect239k1 sect283k1 sect283r1 sect409k1 sect409r1 sect571k1 sect571r1 c2pnb163v1 c2pnb163v2 c2pnb163v3 ' +
  'c2pnb176v1 c2tnb191v1 c2tnb191v2 c2tnb191v3 c2pnb208w1 c2tnb239v1 c2tnb239v2 c2tnb239v3 c2pnb272w1 ' +
  'c2pnb304w1 c2tnb359v1 c2pnb368w1 c2tnb431r1 wtls3 wtls5 wtls10 wtls11 secp112r1 secp112r2 secp128r1 ' +
  'secp128r2 wtls6 wtls8 sect113r1 sect113r2 sect131r1 sect131r2 wtls1 wtls4 ipsec3 ipsec4';

/** OpenSSL's (node's) name for an OTP curve name. */
function nodeCurve(name: string): string {
  if (name === 'secp256r1') return 'prime256v1';
  if (name === 'secp192r1') return 'prime192v1';
  if (name.startsWith('wtls')) return `wap-wsg-idm-ecid-${name}`;
  if (name.startsWith('ipsec')) return name === 'ipsec3' ? 'Oakley-EC2N-3' : 'Oakley-EC2N-4';
  return name;
}

let weierstrass: ReadonlyMap<string, string> | undefined;

/**
 * The Weierstrass curves node can do ECDH on: OTP's name to node's. Asked of node:crypto on the
 * first question, not as the node starts (which would load node:crypto into every node).
 */
function ecdhCurves(): ReadonlyMap<string, string> {
  if (weierstrass === undefined) {
    const nodeCurves = new Set(getCurves());
    weierstrass = new Map(
      OTP_EC_CURVES.split(' ')
        .map((n): [string, string] => [n, nodeCurve(n)])
        .filter(([, n]) => nodeCurves.has(n)),
    );
  }
  return weierstrass;
}

/** Node's name of an OTP curve node can do ECDH on. */
export function ecdhCurve(name: string): string | undefined {
  return ecdhCurves().get(name);
}

/** ec_curves/0: the named curves, Edwards ones included but not the Montgomery (x25519, x448). */
export function ecCurveNames(): string[] {
  return [...ecdhCurves().keys(), 'ed25519', 'ed448'];
}

/** supports(curves): all of them. */
export function curveNames(): string[] {
  return [...ecCurveNames(), 'x25519', 'x448'];
}
