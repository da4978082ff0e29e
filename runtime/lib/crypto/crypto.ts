// Module crypto (native in OTP, on OpenSSL; here on node:crypto, which links the same OpenSSL 3):
// digests (hash, hash_init/update/final, hash_info), MACs (mac, macN, mac_init/update/final),
// pbkdf2_hmac, random bytes, exor, hash_equals, mod_pow, Diffie-Hellman key agreement (dh, ecdh,
// eddh), supports/0,1 and the library's facts. The ciphers are in crypto_cipher.ts.

import {
  createDiffieHellman,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  pbkdf2Sync,
  randomBytes,
  randomInt,
  type Hash,
  type KeyObject,
} from 'node:crypto';
import { Atom, Bin, ErlMap, List, Ref, Term, Tuple, atom, listToArray, charlist, isInteger, list, normInt, toBigInt, tuple, NIL, OK, UNDEFINED } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chargeElements } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { ErlangException, badarg as bifBadarg, erlError } from '../../vm/exception.js';
import { iodataBytes, items } from '../common.js';
import { cmac, hmacWith, md4, poly1305 } from './crypto_algorithms.js';
import { CIPHER_NAMES, HASHES, HashSpec, MACS, PUBLIC_KEYS, cipherSpec, curveNames, ecCurveNames, ecdhCurve } from './crypto_tables.js';
import { NifError, cryptoFrame, erlangError, iolistError, nifError, noClause, plainBadarg } from './crypto_errors.js';
import './crypto_cipher.js';

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif('crypto', name, arity, impl);
const bin = (b: Uint8Array): Bin => new Bin(b);

function hashSpec(t: Term): HashSpec | undefined {
  return t instanceof Atom ? HASHES.get(t.name) : undefined;
}

/** The data a hash or MAC reads: its bytes charged a sixteenth of an element each (the digest itself is native). */
function hashed(data: Uint8Array): void {
  chargeElements(data.length >>> 4);
}

function digest(spec: HashSpec, data: Uint8Array): Uint8Array {
  hashed(data);
  return spec.node === undefined ? md4(data) : new Uint8Array(createHash(spec.node).update(data).digest());
}

// ---------- hashes ----------

def('hash', 2, (type, data) => {
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw iolistError(data, 'hash', 2, 639);
  const spec = hashSpec(type);
  if (spec === undefined) throw nifError('hash', [type, bin(bytes)], 2181, { c: ['hash.c', 108], text: 'Bad digest type', arg: 1 });
  return bin(digest(spec, bytes));
});

/** A hash state: node's running Hash, or for md4 the data so far. hash_update gives a new state. */
interface HashState {
  spec: HashSpec;
  hash: Hash | undefined;
  data: Uint8Array[];
}
const hashStates = new WeakMap<Ref, HashState>();

function newRef<T extends object>(table: WeakMap<Ref, T>, value: T): Ref {
  const ref = node.makeRef();
  table.set(ref, value);
  return ref;
}

def('hash_init', 1, (type) => {
  const spec = hashSpec(type);
  if (spec === undefined) throw nifError('hash_init', [type], 648, { c: ['hash.c', 142], text: 'Bad digest type', arg: 1 });
  return newRef(hashStates, { spec, hash: spec.node === undefined ? undefined : createHash(spec.node), data: [] });
});

def('hash_update', 2, (st, data) => {
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw iolistError(data, 'hash_update', 2, 654);
  const s = st instanceof Ref ? hashStates.get(st) : undefined;
  if (s === undefined) throw nifError('hash_update', [st, bin(bytes)], 2188, { c: ['hash.c', 171], text: 'Bad state', arg: 1 });
  hashed(bytes);
  const next: HashState = s.hash === undefined ? { ...s, data: [...s.data, bytes.slice()] } : { ...s, hash: s.hash.copy().update(bytes) };
  return newRef(hashStates, next);
});

def('hash_final', 1, (st) => {
  const s = st instanceof Ref ? hashStates.get(st) : undefined;
  if (s === undefined) throw nifError('hash_final', [st], 661, { c: ['hash.c', 205], text: 'Bad state', arg: 1 });
  if (s.hash === undefined) return bin(md4(Buffer.concat(s.data)));
  return bin(new Uint8Array(s.hash.copy().digest()));
});

def('hash_info', 1, (type) => {
  const spec = hashSpec(type);
  if (spec === undefined) throw plainBadarg('hash_info', [type]);
  return ErlMap.from([
    [atom('block_size'), spec.blockSize],
    [atom('size'), spec.size],
    [atom('type'), spec.nid],
  ]);
});

def('cipher_info', 1, (type) => {
  const spec = type instanceof Atom ? cipherSpec(type.name) : undefined;
  if (spec === undefined) throw erlangError(atom('badarg'), 'cipher_info', 1, 831);
  return ErlMap.from([
    [atom('block_size'), spec.blockSize],
    [atom('iv_length'), spec.ivLength],
    [atom('key_length'), spec.keyLength],
    [atom('mode'), atom(spec.mode)],
    [atom('prop_aead'), atom(String(spec.aead))],
    [atom('type'), spec.nid ?? UNDEFINED],
  ]);
});

// ---------- MACs ----------

/** What a MAC computes once its type, subtype and key are checked. */
type MacFn = (data: Uint8Array) => Uint8Array;

/** The C lines of mac/4 (one shot) and mac_init (stateful) for each check. */
const MAC_LINES = {
  once: { unknown: 233, digest: 263, cipher: 313, keySize: 316, polyKey: 235 },
  init: { unknown: 587, digest: 617, cipher: 658, keySize: 661, polyKey: 589 },
};

function macFn(type: Term, sub: Term, key: Uint8Array, lines: (typeof MAC_LINES)['once']): MacFn | NifError {
  if (type === atom('hmac')) {
    const spec = hashSpec(sub);
    if (spec === undefined) return { c: ['mac.c', lines.digest], text: 'Bad digest algorithm for HMAC', arg: 2 };
    if (spec.node === undefined) return (d) => hmacWith(md4, spec.blockSize, key, d);
    const name = spec.node;
    return (d) => new Uint8Array(createHmac(name, key).update(d).digest());
  }
  if (type === atom('cmac')) {
    const spec = sub instanceof Atom ? cipherSpec(sub.name, key.length) : undefined;
    if (spec === undefined || !(spec.mode === 'cbc_mode' || spec.mode === 'ecb_mode')) {
      return { c: ['mac.c', lines.cipher], text: 'Unknown cipher', arg: 2 };
    }
    if (key.length !== spec.keyLength) return { c: ['mac.c', lines.keySize], text: 'Bad key size', arg: 3 };
    const ecb = spec.node.startsWith('des-ede3') ? 'des-ede3' : spec.node.replace(/-cbc$/, '-ecb');
    return (d) => cmac(ecb, spec.blockSize, key, d);
  }
  if (type === atom('poly1305')) {
    if (key.length !== 32) return { c: ['mac.c', lines.polyKey], text: 'Bad key length', arg: 3 };
    return (d) => poly1305(key, d);
  }
  return { c: ['mac.c', lines.unknown], text: 'Unknown mac algorithm', arg: 1 };
}

function mac(type: Term, sub: Term, key: Term, data: Term): Uint8Array {
  const k = iodataBytes(key);
  if (k === undefined) throw iolistError(key, 'mac', 4, 698);
  const args = [type, sub, bin(k), data];
  const d = iodataBytes(data);
  if (d === undefined) throw nifError('mac', args, 699, { c: ['mac.c', 175], text: 'Bad text', arg: 4 });
  const f = macFn(type, sub, k, MAC_LINES.once);
  if (typeof f !== 'function') throw nifError('mac', args, 699, f);
  hashed(d);
  return f(d);
}

function truncated(m: Uint8Array, n: Term, line: number, fn: string, arity: number): Term {
  if (isInteger(n) && n >= 0 && n <= m.length) return bin(m.subarray(0, Number(n)));
  const e = bifBadarg('erlang', 'binary_part', [bin(m), 0, n], isInteger(n) ? { 3: 'out of range' } : { 3: 'not an integer' });
  throw erlError(e.reason, list([(e.stack as List).head, cryptoFrame(fn, arity, line)]));
}

/** Run f; an exception out of it gains the caller's frame under its own (macN calls mac). */
function calledFrom<T>(caller: Tuple, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ErlangException) throw erlError(e.reason, list([...(listToArray(e.stack) ?? []), caller]));
    throw e;
  }
}

def('mac', 4, (type, sub, key, data) => bin(mac(type, sub, key, data)));
def('mac', 3, (type, key, data) => {
  if (type !== atom('poly1305')) throw noClause('mac', [type, key, data], 687);
  return bin(mac(type, UNDEFINED, key, data));
});
def('macN', 5, (type, sub, key, data, n) => truncated(calledFrom(cryptoFrame('macN', 5, 721), () => mac(type, sub, key, data)), n, 721, 'macN', 5));
// macN/4 is macN/5 with an undefined subtype
def('macN', 4, (type, key, data, n) => truncated(calledFrom(cryptoFrame('macN', 5, 721), () => mac(type, UNDEFINED, key, data)), n, 721, 'macN', 5));

/** A MAC state: the function and the data so far (mac_update changes it in place, as OTP's). */
interface MacState {
  f: MacFn;
  data: Uint8Array[];
}
const macStates = new WeakMap<Ref, MacState>();

function macInit(type: Term, sub: Term, key: Term, line: number): Term {
  const k = iodataBytes(key);
  if (k === undefined) {
    if (type === atom('poly1305')) throw nifError('mac_init', [type, sub, key], line, { c: ['mac.c', 580], text: 'Bad key', arg: 3 });
    throw iolistError(key, 'mac_init', 3, line - 1);
  }
  const f = macFn(type, sub, k, MAC_LINES.init);
  if (typeof f !== 'function') throw nifError('mac_init', [type, sub, bin(k)], line, f);
  return newRef(macStates, { f, data: [] });
}

def('mac_init', 3, (type, sub, key) => macInit(type, sub, key, 743));
def('mac_init', 2, (type, key) => {
  if (type !== atom('poly1305')) throw noClause('mac_init', [type, key], 732);
  return macInit(type, UNDEFINED, key, 733);
});

def('mac_update', 2, (st, data) => {
  const s = st instanceof Ref ? macStates.get(st) : undefined;
  if (s === undefined) throw nifError('mac_update', [st, data], 751, { c: ['mac.c', 817], text: 'Bad ref', arg: 1 });
  const d = iodataBytes(data);
  if (d === undefined) throw nifError('mac_update', [st, data], 751, { c: ['mac.c', 794], text: 'Bad text', arg: 2 });
  hashed(d);
  s.data.push(d.slice());
  return st;
});

function macFinal(st: Term): Uint8Array {
  const s = st instanceof Ref ? macStates.get(st) : undefined;
  if (s === undefined) throw nifError('mac_final', [st], 759, { c: ['mac.c', 847], text: 'Bad ref', arg: 1 });
  return s.f(Buffer.concat(s.data));
}

def('mac_final', 1, (st) => bin(macFinal(st)));
def('mac_finalN', 2, (st, n) => truncated(macFinal(st), n, 767, 'mac_finalN', 2));

// ---------- key derivation, random, byte utilities ----------

def('pbkdf2_hmac', 5, (dg, pass, salt, iter, len) => {
  const args = [dg, pass, salt, iter, len];
  const e = (cLine: number, text: string, arg: number) => nifError('pbkdf2_hmac', args, 614, { c: ['pbkdf2_hmac.c', cLine], text, arg });
  const spec = hashSpec(dg);
  if (spec === undefined || spec.node === undefined) throw e(34, 'Bad digest type', 1);
  if (!(pass instanceof Bin && pass.isBinary)) throw e(41, 'Not binary', 2);
  if (!(salt instanceof Bin && salt.isBinary)) throw e(44, 'Not binary', 3);
  if (!isInteger(iter)) throw e(47, 'Not integer', 4);
  if (iter <= 0) throw e(49, 'Must be > 0', 4);
  if (!isInteger(len)) throw e(52, 'Not integer', 5);
  if (len <= 0) throw e(54, 'Must be > 0', 5);
  return bin(new Uint8Array(pbkdf2Sync(pass.bytes, salt.bytes, Number(iter), Number(len), spec.node)));
});

def('strong_rand_bytes', 1, (n) => {
  if (typeof n !== 'number' || n < 0 || !Number.isInteger(n) || n > 0x7fffffff) {
    throw plainBadarg('strong_rand_bytes_nif', [n], cryptoFrame('strong_rand_bytes', 1, 1140));
  }
  return bin(new Uint8Array(randomBytes(n)));
});

def('rand_uniform', 2, (lo, hi) => {
  if (!isInteger(lo) || !isInteger(hi) || hi <= lo) throw erlangError(atom('badarg'), 'rand_uniform_pos', 2, 1389);
  const l = toBigInt(lo);
  const span = toBigInt(hi) - l;
  if (span <= BigInt(Number.MAX_SAFE_INTEGER)) return normInt(l + BigInt(randomInt(Number(span))));
  // a big range: enough random bits, then the remainder (the bias is below 2^-64)
  const bytes = randomBytes(span.toString(16).length / 2 + 9);
  return normInt(l + (BigInt('0x' + bytes.toString('hex')) % span));
});

def('exor', 2, (a, b) => {
  const x = iodataBytes(a);
  if (x === undefined) throw iolistError(a, 'exor', 2, 1773);
  const y = iodataBytes(b);
  if (y === undefined) throw iolistError(b, 'exor', 2, 1774);
  if (x.length !== y.length) throw plainBadarg('do_exor', [bin(x), bin(y)]);
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] ^ y[i];
  return bin(out);
});

def('hash_equals', 2, (a, b) => {
  if (!(a instanceof Bin && a.isBinary && b instanceof Bin && b.isBinary && a.byteSize === b.byteSize)) {
    throw plainBadarg('hash_equals_nif', [a, b]);
  }
  let diff = 0;
  for (let i = 0; i < a.byteSize; i++) diff |= a.bytes[i] ^ b.bytes[i];
  return atom(String(diff === 0));
});

function unsignedOf(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bytesOf(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

def('bytes_to_integer', 1, (b) => {
  if (!(b instanceof Bin && b.isBinary)) throw noClause('bin_to_int', [b], 2409);
  return normInt(unsignedOf(b.bytes));
});

def('mod_pow', 3, (n, p, m) => {
  // integers go to the NIF as their unsigned bytes, binaries as they are
  const asBin = (t: Term): Term => (isInteger(t) && t >= 0 ? bin(t === 0 ? new Uint8Array(1) : bytesOf(toBigInt(t))) : t);
  const [bn, bp, bm] = [asBin(n), asBin(p), asBin(m)];
  const val = (t: Term) => (t instanceof Bin && t.isBinary ? unsignedOf(t.bytes) : undefined);
  const [vn, vp, vm] = [val(bn), val(bp), val(bm)];
  if (vn === undefined || vp === undefined || vm === undefined || vm === 0n) {
    throw plainBadarg('mod_exp_nif', [bn, bp, bm, 0], cryptoFrame('mod_pow', 3, 1790));
  }
  let result = 1n % vm;
  let base = vn % vm;
  for (let e = vp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % vm;
    base = (base * base) % vm;
  }
  return bin(bytesOf(result));
});

// ---------- key agreement: dh, ecdh, eddh ----------

function binOrInt(t: Term): Uint8Array | undefined {
  if (t instanceof Bin && t.isBinary) return t.bytes;
  if (isInteger(t) && t >= 0) return bytesOf(toBigInt(t));
  return undefined;
}

function dhParams(t: Term): [Uint8Array, Uint8Array] | undefined {
  const xs = items(t);
  if (xs === undefined || xs.length < 2) return undefined;
  const p = binOrInt(xs[0]);
  const g = binOrInt(xs[1]);
  return p && g ? [p, g] : undefined;
}

const dhError = (fn: string, arity: number, line: number, cLine: number, text: string) =>
  nifError(fn, arity, line, { c: ['dh.c', cLine], text, arg: undefined, kind: 'error' });

/** Raw x25519/x448 keys as node KeyObjects, wrapped in the fixed DER headers of PKCS #8 and SPKI. */
const OKP_DER: Record<string, { priv: string; pub: string }> = {
  x25519: { priv: '302e020100300506032b656e04220420', pub: '302a300506032b656e032100' },
  x448: { priv: '3046020100300506032b656f043a0438', pub: '3042300506032b656f033900' },
};

function okpPrivate(curve: string, raw: Uint8Array): KeyObject {
  const der = Buffer.concat([Buffer.from(OKP_DER[curve].priv, 'hex'), raw]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function okpPublic(curve: string, raw: Uint8Array): KeyObject {
  const der = Buffer.concat([Buffer.from(OKP_DER[curve].pub, 'hex'), raw]);
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

function generateKey(type: Term, params: Term, priv: Term | undefined, arity: number): Term {
  const args = priv === undefined ? [type, params] : [type, params, priv];
  if (type === atom('ecdh')) {
    const curve = params instanceof Atom ? ecdhCurve(params.name) : undefined;
    if (curve === undefined) {
      throw nifError('generate_key', [tuple(UNDEFINED, params), UNDEFINED], 1682, { c: ['ec.c', 355], text: "Couldn't get Curve definition", arg: 1 });
    }
    const ecdh = createECDH(curve);
    let privBytes: Buffer;
    if (priv === undefined) {
      ecdh.generateKeys();
      privBytes = ecdh.getPrivateKey();
    } else {
      const p = binOrInt(priv);
      if (p === undefined || unsignedOf(p) === 0n) {
        throw nifError('generate_key', [params, priv], 1682, { c: ['ec.c', 429], text: 'peer priv key must not be 0', arg: 2 });
      }
      ecdh.setPrivateKey(p);
      privBytes = Buffer.from(p);
    }
    const fieldLen = (ecdh.getPublicKey().length - 1) / 2;
    const padded = new Uint8Array(Math.max(fieldLen, privBytes.length));
    padded.set(privBytes, padded.length - privBytes.length);
    return tuple(bin(new Uint8Array(ecdh.getPublicKey())), bin(padded));
  }
  if (type === atom('eddh') && (params === atom('x25519') || params === atom('x448'))) {
    const curve = (params as Atom).name;
    let key: KeyObject;
    if (priv === undefined) key = generateKeyPairSync(curve as 'x25519').privateKey;
    else {
      const p = binOrInt(priv);
      if (p === undefined) throw noClause('generate_key', [type, params, priv], 1622);
      key = okpPrivate(curve, p);
    }
    const jwk = key.export({ format: 'jwk' }) as { x: string; d: string };
    return tuple(bin(Buffer.from(jwk.x, 'base64url')), bin(Buffer.from(jwk.d, 'base64url')));
  }
  if (type === atom('dh')) {
    const pg = dhParams(params);
    if (pg === undefined) throw noClause('generate_key', [type, params, priv ?? UNDEFINED], 1622);
    try {
      const dh = createDiffieHellman(pg[0], pg[1]);
      if (priv === undefined) dh.generateKeys();
      else {
        const p = binOrInt(priv);
        if (p === undefined) throw new Error('bad private key');
        dh.setPrivateKey(p);
        dh.generateKeys();
      }
      return tuple(bin(new Uint8Array(dh.getPublicKey())), bin(new Uint8Array(dh.getPrivateKey())));
    } catch {
      throw dhError('generate_key', arity, 1630, 124, "Can't generate DH key pair");
    }
  }
  throw noClause('generate_key', priv === undefined ? [...args, UNDEFINED] : args, 1622);
}

def('generate_key', 2, (type, params) => generateKey(type, params, undefined, 3));
def('generate_key', 3, (type, params, priv) => generateKey(type, params, priv, 3));

def('compute_key', 4, (type, others, mine, params) => {
  const pub = binOrInt(others);
  const priv = binOrInt(mine);
  if (type === atom('ecdh')) {
    const curve = params instanceof Atom ? ecdhCurve(params.name) : undefined;
    try {
      if (curve === undefined || pub === undefined || priv === undefined) throw new Error('bad');
      const ecdh = createECDH(curve);
      ecdh.setPrivateKey(priv);
      return bin(new Uint8Array(ecdh.computeSecret(pub)));
    } catch {
      throw nifError('compute_key', 4, 1754, { c: ['ecdh.c', 70], text: "Can't do fromdata", arg: undefined, kind: 'error' });
    }
  }
  if (type === atom('eddh') && (params === atom('x25519') || params === atom('x448'))) {
    try {
      if (pub === undefined || priv === undefined) throw new Error('bad');
      const curve = (params as Atom).name;
      return bin(new Uint8Array(diffieHellman({ privateKey: okpPrivate(curve, priv), publicKey: okpPublic(curve, pub) })));
    } catch {
      throw nifError('compute_key', 4, 1754, { c: ['evp.c', 100], text: "Can't derive secret", arg: undefined, kind: 'error' });
    }
  }
  if (type === atom('dh')) {
    const pg = dhParams(params);
    try {
      if (pg === undefined || pub === undefined || priv === undefined) throw new Error('bad');
      const dh = createDiffieHellman(pg[0], pg[1]);
      dh.setPrivateKey(priv);
      return bin(new Uint8Array(dh.computeSecret(pub)));
    } catch {
      throw dhError('compute_key', 4, 1706, 243, "Can't get result");
    }
  }
  throw noClause('compute_key', [type, others, mine, params], 1703);
});

// ---------- what the library supports ----------

const atoms = (names: readonly string[]): Term => list(names.map((n) => atom(n)));

const SUPPORTS: [string, () => Term][] = [
  ['hashs', () => atoms([...HASHES.keys()])],
  ['ciphers', () => atoms(CIPHER_NAMES)],
  ['public_keys', () => atoms(PUBLIC_KEYS)],
  ['macs', () => atoms(MACS)],
  ['curves', () => atoms(curveNames())],
  ['rsa_opts', () => NIL],
];

def('supports', 0, () => list(SUPPORTS.map(([k, f]) => tuple(atom(k), f()))));
def('supports', 1, (t) => {
  const entry = SUPPORTS.find(([k]) => t === atom(k));
  if (entry === undefined) throw noClause('supports', [t], 570);
  return entry[1]();
});
def('ec_curves', 0, () => atoms(ecCurveNames()));

const OTP_CRYPTO_VERSION = '5.1.2';

/** node's OpenSSL version ("3.0.19") as OpenSSL packs it (0xMNN00PP0) and names it. */
function openssl(): { packed: number; name: string } {
  const [major, minor, patch] = (process.versions.openssl ?? '0.0.0').split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  return { packed: major * 0x10000000 + minor * 0x100000 + patch * 0x10, name: `OpenSSL ${process.versions.openssl}` };
}

def('version', 0, () => charlist(OTP_CRYPTO_VERSION));
def('info_lib', 0, () => {
  const o = openssl();
  return list([tuple(bin(Buffer.from('OpenSSL')), o.packed, bin(Buffer.from(o.name)))]);
});
def('info', 0, () =>
  ErlMap.from([
    [atom('compile_type'), atom('normal')],
    [atom('cryptolib_version_compiled'), charlist(openssl().name)],
    [atom('cryptolib_version_linked'), charlist(openssl().name)],
    [atom('fips_provider_available'), atom('false')],
    [atom('link_type'), atom('dynamic')],
    [atom('otp_crypto_version'), charlist(OTP_CRYPTO_VERSION)],
  ]),
);
def('info_fips', 0, () => atom('not_supported'));
def('start', 0, () => OK);
def('stop', 0, () => OK);
