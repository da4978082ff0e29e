// crypto's symmetric ciphers on node:crypto: crypto_init/update/final/get_data (a state held behind
// a reference, as OTP's NIF resource prints), crypto_one_time and crypto_one_time_aead. Padding is
// OTP's: `undefined` (the boolean flag's) drops an unfilled last block, `none` refuses it,
// `pkcs_padding` is PKCS #7, `zero` and `random` fill the last block on encryption.

import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual, type Cipher, type Decipher } from 'node:crypto';
import { Atom, Bin, ErlMap, Ref, Term, Tuple, atom, bool, charlist, isInteger, tuple, listToArray, FALSE, TRUE } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { node } from '../../vm/node.js';
import { iodataBytes } from '../common.js';
import { CipherSpec, cipherSpec, isGenericAes } from './crypto_tables.js';
import { NifError, cryptoFrame, erlangError, nifError, noClause } from './crypto_errors.js';

type Padding = 'undefined' | 'none' | 'pkcs_padding' | 'zero' | 'random';
const PADDINGS: readonly string[] = ['undefined', 'none', 'pkcs_padding', 'zero', 'random'];

interface CipherState {
  spec: CipherSpec;
  encrypt: boolean;
  padding: Padding;
  ctx: Cipher | Decipher;
  size: number;
  /** -1 until crypto_final, then how much padding the last block took (crypto_get_data's padding_size) */
  paddingSize: number;
  done: boolean;
}

const states = new WeakMap<Ref, CipherState>();

/** Where each NIF argument sits in the Erlang call (undefined: not among the caller's arguments). */
interface ArgPos {
  cipher: number;
  key: number;
  iv: number | undefined;
  data: number | undefined;
  opts: number;
}

class Failure {
  constructor(readonly e: NifError) {}
}

function fail(c: [string, number], text: string, arg: number | undefined, kind?: NifError['kind']): never {
  throw new Failure({ c, text, arg, kind });
}

function isBlockPadded(spec: CipherSpec): boolean {
  return spec.blockSize > 1;
}

function options(t: Term, pos: number): { encrypt: boolean; padding: Padding } {
  if (t === TRUE || t === FALSE) return { encrypt: t === TRUE, padding: 'undefined' };
  const xs = listToArray(t);
  if (xs === undefined) fail(['api_ng.c', 120], 'Options are not a boolean or a proper list', pos);
  const o = { encrypt: true, padding: 'undefined' as Padding };
  for (const x of xs) {
    if (!(x instanceof Tuple) || x.elements.length !== 2) fail(['api_ng.c', 139], 'Options must be a property list!', pos);
    const [k, v] = x.elements;
    if (k === atom('encrypt')) {
      if (v !== TRUE && v !== FALSE) fail(['api_ng.c', 152], "The 'encrypt' option must be a boolean!", pos);
      o.encrypt = v === TRUE;
    } else if (k === atom('padding')) {
      if (!(v instanceof Atom) || !PADDINGS.includes(v.name)) fail(['api_ng.c', 168], "Bad 'padding' option value", pos);
      o.padding = v.name as Padding;
    } else {
      fail(['api_ng.c', 174], `Bad tag in option: ${k instanceof Atom ? k.name : '?'}`, pos);
    }
  }
  return o;
}

/** The checks OTP's crypto_init NIF makes, in its order; a state for the cipher. */
function initState(cipher: Term, key: Term, iv: Term | undefined, opts: Term, pos: ArgPos): CipherState {
  const name = cipher instanceof Atom ? cipher.name : undefined;
  if (name === undefined || (cipherSpec(name) === undefined && !isGenericAes(name))) fail(['api_ng.c', 242], 'Unknown cipher', pos.cipher);
  const k = iodataBytes(key);
  if (k === undefined) fail(['api_ng.c', 228], 'Bad key', pos.key);
  const spec = cipherSpec(name, k.length);
  if (spec === undefined) fail(['api_ng.c', 242], 'Unknown cipher', pos.cipher);
  if (k.length !== spec.keyLength) fail(['api_ng.c', 244], 'Bad key size', pos.key);
  if (spec.aead) fail(['api_ng.c', 250], 'Missing arguments for this cipher', pos.cipher);
  let ivBytes: Uint8Array | null = null;
  if (spec.ivLength > 0) {
    const i = iv === undefined ? new Uint8Array(0) : iodataBytes(iv);
    if (i === undefined) fail(['api_ng.c', 304], 'Bad iv type', pos.iv);
    if (i.length !== spec.ivLength) fail(['api_ng.c', 310], 'Bad iv size', pos.iv);
    ivBytes = i;
  }
  const o = options(opts, pos.opts);
  const ctx = o.encrypt ? createCipheriv(spec.node, k, ivBytes) : createDecipheriv(spec.node, k, ivBytes);
  ctx.setAutoPadding(o.padding === 'pkcs_padding' && isBlockPadded(spec));
  return { spec, encrypt: o.encrypt, padding: o.padding, ctx, size: 0, paddingSize: -1, done: false };
}

function update(s: CipherState, data: Uint8Array): Uint8Array {
  if (s.done) return new Uint8Array(0);
  s.size += data.length;
  return new Uint8Array(s.ctx.update(data));
}

/** The last output: padding added or checked as the state's padding says. */
function final(s: CipherState): Uint8Array {
  if (s.done) return new Uint8Array(0);
  s.done = true;
  const bs = s.spec.blockSize;
  if (!isBlockPadded(s.spec)) {
    s.paddingSize = 0;
    return new Uint8Array(s.ctx.final());
  }
  const rem = s.size % bs;
  if (s.padding === 'pkcs_padding') {
    s.paddingSize = bs - rem;
    try {
      return new Uint8Array(s.ctx.final());
    } catch {
      return fail(['api_ng.c', 638], "Can't finalize", undefined, 'error');
    }
  }
  s.paddingSize = (bs - rem) % bs;
  if (rem === 0) return new Uint8Array(s.ctx.final());
  if (s.padding === 'none') fail(['api_ng.c', 610], "Padding 'none' but unfilled last block", undefined, 'error');
  if (s.encrypt && (s.padding === 'zero' || s.padding === 'random')) {
    const fill = s.padding === 'zero' ? new Uint8Array(bs - rem) : randomBytes(bs - rem);
    return concat(new Uint8Array(s.ctx.update(fill)), new Uint8Array(s.ctx.final()));
  }
  // the boolean flag's padding: what does not fill a block is left out
  return new Uint8Array(0);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Run f, turning a Failure into the NIF's error from crypto:Fn(Args) at crypto.erl's line. */
function nif<T>(fn: string, args: Term[] | number, line: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Failure) throw nifError(fn, args, line, e.e);
    throw e;
  }
}

const EMPTY = new Bin(new Uint8Array(0));
const INIT_POS: ArgPos = { cipher: 1, key: 2, iv: 3, data: undefined, opts: 4 };

function newState(s: CipherState): Ref {
  const ref = node.makeRef();
  states.set(ref, s);
  return ref;
}

defineBif('crypto', 'crypto_init', 4, (c, k, iv, f) => newState(nif('crypto_init', [c, k, iv, f], 876, () => initState(c, k, iv, f, INIT_POS))));
// crypto_init/3 is crypto_init/4 with an empty IV, and reports itself so
defineBif('crypto', 'crypto_init', 3, (c, k, f) => newState(nif('crypto_init', [c, k, EMPTY, f], 865, () => initState(c, k, EMPTY, f, INIT_POS))));

function stateOf(t: Term, fn: string, args: Term[], line: number, cLine: number): CipherState {
  const s = t instanceof Ref ? states.get(t) : undefined;
  if (s === undefined) throw nifError(fn, args, line, { c: ['api_ng.c', cLine], text: 'Bad State', arg: 1 });
  return s;
}

defineBif('crypto', 'crypto_update', 2, (st, data) => {
  const s = stateOf(st, 'crypto_update', [st, data], 903, 731);
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw nifError('crypto_update', [st, data], 903, { c: ['api_ng.c', 860], text: 'expected binary', arg: 2 });
  return new Bin(update(s, bytes));
});

defineBif('crypto', 'crypto_final', 1, (st) => {
  const s = stateOf(st, 'crypto_final', [st], 924, 886);
  return new Bin(nif('crypto_final', [st], 924, () => final(s)));
});

defineBif('crypto', 'crypto_get_data', 1, (st) => {
  const s = stateOf(st, 'crypto_get_data', [st], 934, 992);
  return ErlMap.from([
    [atom('encrypt'), bool(s.encrypt)],
    [atom('padding_size'), s.paddingSize],
    [atom('padding_type'), atom(s.padding)],
    [atom('size'), s.size],
  ]);
});

function oneTime(fn: string, args: Term[], line: number, c: Term, k: Term, iv: Term | undefined, data: Term, f: Term, pos: ArgPos): Term {
  return nif(fn, args, line, () => {
    const s = initState(c, k, iv, f, pos);
    const bytes = iodataBytes(data);
    if (bytes === undefined) fail(['api_ng.c', 966], 'expected binary as data', pos.data);
    return new Bin(concat(update(s, bytes), final(s)));
  });
}

defineBif('crypto', 'crypto_one_time', 5, (c, k, iv, d, f) =>
  oneTime('crypto_one_time', [c, k, iv, d, f], 967, c, k, iv, d, f, { cipher: 1, key: 2, iv: 3, data: 4, opts: 5 }),
);
defineBif('crypto', 'crypto_one_time', 4, (c, k, d, f) =>
  oneTime('crypto_one_time', [c, k, d, f], 951, c, k, undefined, d, f, { cipher: 1, key: 2, iv: undefined, data: 3, opts: 4 }),
);

// OpenSSL 3, which OTP 25 and node both use here, has no dynamic IV API
defineBif('crypto', 'crypto_dyn_iv_init', 3, (c, k, f) => {
  throw nifError('crypto_dyn_iv_init', [c, k, f], 886, {
    c: ['api_ng.c', 295],
    text: 'Dynamic IV is not supported for libcrypto versions >= 3.0',
    arg: undefined,
    kind: 'notsup',
  });
});

// ---------- AEAD ----------

function aeadTagLength(spec: CipherSpec): number {
  return spec.mode === 'ccm_mode' ? 12 : 16;
}

const CCM_TAGS = [4, 6, 8, 10, 12, 14, 16];

interface AeadResult {
  out: Uint8Array;
  tag: Uint8Array;
}

function aeadEncrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, text: Uint8Array, aad: Uint8Array, tagLen: number): AeadResult {
  if (spec.mode === 'gcm_mode') {
    // GCM's tag may be cut to any length: its prefix is the shorter tag
    const c = createCipheriv(spec.node as 'aes-128-gcm', key, iv);
    c.setAAD(aad);
    const out = concat(new Uint8Array(c.update(text)), new Uint8Array(c.final()));
    if (tagLen > 16) fail(['aead.c', 156], "Can't get Tag", undefined, 'error');
    return { out, tag: new Uint8Array(c.getAuthTag()).subarray(0, tagLen) };
  }
  if (spec.mode === 'ccm_mode' && !CCM_TAGS.includes(tagLen)) fail(['aead.c', 116], "Can't set tag", 6);
  if (tagLen < 1 || tagLen > 16) fail(['aead.c', 116], "Can't set tag", 6);
  const c = createCipheriv(spec.node as 'aes-128-ccm', key, iv, { authTagLength: tagLen });
  c.setAAD(aad, { plaintextLength: text.length });
  const out = concat(new Uint8Array(c.update(text)), new Uint8Array(c.final()));
  return { out, tag: new Uint8Array(c.getAuthTag()) };
}

function aeadDecrypt(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, data: Uint8Array, aad: Uint8Array, tag: Uint8Array): Uint8Array | undefined {
  if (spec.mode === 'gcm_mode') {
    // GCM decrypts as it encrypts (the same key stream); the tag is then that of the cipher text
    const plain = aeadEncrypt(spec, key, iv, data, aad, 16).out;
    const want = aeadEncrypt(spec, key, iv, plain, aad, 16).tag.subarray(0, tag.length);
    return tag.length > 0 && tag.length <= 16 && timingSafeEqual(want, tag) ? plain : undefined;
  }
  if (tag.length < 1 || tag.length > 16 || (spec.mode === 'ccm_mode' && !CCM_TAGS.includes(tag.length))) return undefined;
  try {
    const d = createDecipheriv(spec.node as 'aes-128-ccm', key, iv, { authTagLength: tag.length });
    d.setAuthTag(tag);
    d.setAAD(aad, { plaintextLength: data.length });
    const out = new Uint8Array(d.update(data));
    return concat(out, new Uint8Array(d.final()));
  } catch {
    return undefined;
  }
}

function ivLengthOk(spec: CipherSpec, n: number): boolean {
  if (spec.mode === 'gcm_mode') return n > 0;
  if (spec.mode === 'ccm_mode') return n >= 7 && n <= 13;
  return n === 12;
}

function aead(args: Term[], line: number): Term {
  const [cipher, key, iv, text, aad, tagOrLen, enc] = args;
  return nif('crypto_one_time_aead', args, line, () => {
    if (enc !== TRUE && enc !== FALSE) fail(['aead.c', 54], 'Bad enc flag', 7);
    const k = iodataBytes(key);
    if (k === undefined) fail(['aead.c', 63], 'non-binary key', 2);
    const i = iodataBytes(iv);
    if (i === undefined) fail(['aead.c', 65], 'non-binary iv', 3);
    const t = iodataBytes(text);
    if (t === undefined) fail(['aead.c', 67], 'non-binary text', 4);
    const a = iodataBytes(aad);
    if (a === undefined) fail(['aead.c', 69], 'non-binary AAD', 5);
    const spec = cipher instanceof Atom ? cipherSpec(cipher.name, k.length) : undefined;
    if (spec === undefined || !spec.aead || spec.keyLength !== k.length) fail(['aead.c', 90], 'Unknown cipher or invalid key size', 1);
    if (!ivLengthOk(spec, i.length)) fail(['aead.c', 111], 'Bad IV length', 3);
    if (enc === TRUE) {
      if (!isInteger(tagOrLen)) fail(['aead.c', 116], "Can't set tag", 6);
      const r = aeadEncrypt(spec, k, i, t, a, Number(tagOrLen));
      return tuple(new Bin(r.out), new Bin(r.tag));
    }
    const tag = tagOrLen instanceof Bin && tagOrLen.isBinary ? tagOrLen.bytes : undefined;
    if (tag === undefined) fail(['aead.c', 116], "Can't set tag", 6);
    const plain = aeadDecrypt(spec, k, i, t, a, tag);
    return plain === undefined ? atom('error') : new Bin(plain);
  });
}

defineBif('crypto', 'crypto_one_time_aead', 7, (...args) => aead(args, 1009));
defineBif('crypto', 'crypto_one_time_aead', 6, (c, k, iv, text, aad, enc) => {
  if (enc !== TRUE) throw noClause('crypto_one_time_aead', [c, k, iv, text, aad, enc], 984);
  const spec = c instanceof Atom ? cipherSpec(c.name) : undefined;
  if (spec === undefined || !spec.aead) {
    throw erlangError(tuple(atom('badarg'), charlist('Not an AEAD cipher')), 'aead_tag_len', 1, 1025, cryptoFrame('crypto_one_time_aead', 6, 985));
  }
  return aead([c, k, iv, text, aad, aeadTagLength(spec), enc], 985);
});
