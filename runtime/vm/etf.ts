// The external term format (erts "External Term Format" chapter): term_to_binary/binary_to_term
// and the terms carried on distribution connections.
//
//   encode(term, opts)   131 | Tag Data         (or 131 | 80 | Size | zlib(Tag Data) when compressed)
//   decode(bytes, opts)  the term and how many bytes it used; EtfError for anything malformed
//   decodeControl(frame) a distribution frame: 112 | 131 Control | [131 Message]
//
// Encoding follows what OTP 25's term_to_binary writes, byte for byte: ATOM_EXT for Latin-1 atoms
// (UTF-8 tags only for other atoms, or with {minor_version,2} / on the wire), STRING_EXT for byte
// lists, the smallest integer tag, map keys in map-key order, NEW_PID_EXT/NEWER_REFERENCE_EXT/
// NEW_PORT_EXT for identifiers.
//
// Both directions use explicit stacks instead of recursion, so a term nested a million deep is
// neither a stack overflow on encode nor a way for a stranger to crash us on decode.

import { deflateSync, inflateSync } from 'node:zlib';
import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  List,
  NIL,
  Pid,
  Port,
  Ref,
  Tuple,
  atom,
  existingAtom,
  mapKey as mapKeyOf,
  normInt,
} from './term.js';
import type { FunKind, Term } from './term.js';

// ---------- tags ----------

export const VERSION_MAGIC = 131;
export const PASS_THROUGH = 112;

export const Tag = {
  NEW_FLOAT: 70,
  BIT_BINARY: 77,
  COMPRESSED: 80,
  ATOM_CACHE_REF: 82,
  DIST_HEADER: 68,
  DIST_FRAG_HEADER: 69,
  DIST_FRAG_CONT: 70,
  NEW_PID: 88,
  NEW_PORT: 89,
  NEWER_REFERENCE: 90,
  SMALL_INTEGER: 97,
  INTEGER: 98,
  FLOAT: 99,
  ATOM: 100,
  REFERENCE: 101,
  PORT: 102,
  PID: 103,
  SMALL_TUPLE: 104,
  LARGE_TUPLE: 105,
  NIL: 106,
  STRING: 107,
  LIST: 108,
  BINARY: 109,
  SMALL_BIG: 110,
  LARGE_BIG: 111,
  NEW_FUN: 112,
  EXPORT: 113,
  NEW_REFERENCE: 114,
  SMALL_ATOM: 115,
  MAP: 116,
  FUN: 117,
  ATOM_UTF8: 118,
  SMALL_ATOM_UTF8: 119,
  V4_PORT: 120,
} as const;

/** Malformed external term format (binary_to_term turns it into badarg). */
export class EtfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtfError';
  }
}

// ---------- erl_eval funs ----------

/**
 * OTP 25.2.3's erl_eval builds shell funs from one lambda per arity (0..20), so a shell fun on the
 * wire names erl_eval, that lambda's index and this build's module checksums; its single free
 * variable is the closure state {Anno, Bindings, LocalFunHandler, NonLocalFunHandler, UsedVars,
 * Clauses} (plus Name for named funs). Writing the same bytes lets real nodes run terl's shell funs.
 */
export const ERL_EVAL_FUN = {
  module: atom('erl_eval'),
  md5: Uint8Array.from([6, 83, 97, 170, 70, 21, 144, 209, 189, 241, 235, 98, 209, 166, 235, 8]),
  oldUniq: 3316493,
  maxArity: 20,
  /** fun (A1..An) -> eval_fun(...) end */
  index: (arity: number) => 43 - arity,
  /** fun RF(A1..An) -> eval_named_fun(...) end */
  namedIndex: (arity: number) => 20 - arity,
};

/**
 * Decides what a fun read from the wire becomes: the runtime installs one that recognises funs it
 * can run (its own modules, erl_eval closures, fun M:F/A) and gives them a body. Without it, or when
 * it returns undefined, the fun is kept as data (fn undefined) and re-encodes to the same bytes.
 */
export type FunResolver = (arity: number, info: FunKind) => Fun | undefined;

let funResolver: FunResolver | undefined;

export function setFunResolver(resolver: FunResolver | undefined): void {
  funResolver = resolver;
}

// ---------- encoding ----------

export interface EncodeOptions {
  /** term_to_binary's compressed: true = zlib level 6, or a level 0..9 (0 = off) */
  compressed?: boolean | number;
  /** term_to_binary's {minor_version, N}: 0 writes FLOAT_EXT, 1 (default) NEW_FLOAT_EXT, 2 also UTF-8 atoms */
  minorVersion?: 0 | 1 | 2;
  /** every atom as UTF-8 (what goes on a distribution connection) */
  utf8Atoms?: boolean;
  /** the creating process written into funs that do not record one */
  funCreator?: Pid;
  /**
   * On a distribution connection: this node's identity. Pids, refs and ports it calls local are
   * written with its current name and creation (those made before distribution started carry
   * nonode@nohost).
   */
  thisNode?: NodeIdentity;
  /** On a distribution connection: the numbers the peer knows a compiled module's fun by (undefined: this node's own). */
  localFun?: (info: Extract<FunKind, { kind: 'local' }>) => { index: number; uniq: number; md5: Uint8Array } | undefined;
}

/** This node as the wire names it (runtime/vm/node.ts Node satisfies it). */
export interface NodeIdentity {
  readonly name: Atom;
  readonly creation: number;
  isLocal(x: Pid | Ref | Port): boolean;
}

const NONODE_PID = new Pid(atom('nonode@nohost'), 0, 0, 0);

export class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** term_to_binary and encodeControl encode here and copy out the result: no buffer per term. */
let scratch = new Writer(1024);

/** The scratch writer's bytes, copied; a buffer grown for one huge term is not kept. */
function scratchResult(): Uint8Array {
  const out = scratch.result();
  if (scratch.buf.length > 1 << 20) scratch = new Writer(1024);
  return out;
}

/** A NEW_FUN_EXT whose free variables have been written: its Size field can now be filled in. */
class FunSizePatch {
  constructor(readonly at: number) {}
}

const utf8 = new TextEncoder();

/** The atom's tag and text, as term_to_binary (Latin-1 when possible) or the wire (UTF-8) writes it. */
function atomBytes(a: Atom, utf8Atoms: boolean): Uint8Array {
  const cached = utf8Atoms ? a.ext : a.extLatin1;
  if (cached !== undefined) return cached;
  let b: Uint8Array;
  const name = a.name;
  let latin1 = !utf8Atoms;
  if (latin1) for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 255) latin1 = false;
  if (latin1) {
    b = new Uint8Array(3 + name.length);
    b[0] = Tag.ATOM;
    b[1] = name.length >> 8;
    b[2] = name.length & 255;
    for (let i = 0; i < name.length; i++) b[3 + i] = name.charCodeAt(i);
  } else {
    const text = utf8.encode(name);
    if (text.length <= 255) {
      b = new Uint8Array(2 + text.length);
      b[0] = Tag.SMALL_ATOM_UTF8;
      b[1] = text.length;
      b.set(text, 2);
    } else {
      b = new Uint8Array(3 + text.length);
      b[0] = Tag.ATOM_UTF8;
      b[1] = text.length >> 8;
      b[2] = text.length & 255;
      b.set(text, 3);
    }
  }
  if (utf8Atoms) a.ext = b;
  else a.extLatin1 = b;
  return b;
}

function writeBig(w: Writer, v: bigint): void {
  const negative = v < 0n;
  // through the magnitude's hex text: linear, where shifting the bigint a byte at a time would
  // copy it once per byte
  let hex = (negative ? -v : v).toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  const digits = Buffer.from(hex, 'hex').reverse();
  if (digits.length <= 255) {
    w.u8(Tag.SMALL_BIG);
    w.u8(digits.length);
  } else {
    w.u8(Tag.LARGE_BIG);
    w.u32(digits.length);
  }
  w.u8(negative ? 1 : 0);
  w.bytes(digits);
}

function writeInteger(w: Writer, v: number | bigint): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new EtfError(`not an Erlang integer: ${v}`);
    if (v >= 0 && v <= 255) {
      w.u8(Tag.SMALL_INTEGER);
      w.u8(v);
    } else if (v >= -0x80000000 && v <= 0x7fffffff) {
      w.u8(Tag.INTEGER);
      w.i32(v);
    } else {
      writeBig(w, BigInt(v));
    }
  } else if (v >= -0x80000000n && v <= 0x7fffffffn) {
    writeInteger(w, Number(v));
  } else {
    writeBig(w, v);
  }
}

/** C's printf("%.20e") of a finite double: FLOAT_EXT's text. */
function floatText(v: number): string {
  const s = v.toExponential(20); // "1.50000000000000000000e+0"
  const e = s.indexOf('e');
  const exp = s.slice(e + 2);
  return s.slice(0, e + 2) + (exp.length < 2 ? '0' + exp : exp);
}

function writeFloat(w: Writer, v: number, minorVersion: number): void {
  if (!Number.isFinite(v)) throw new EtfError(`not an Erlang float: ${v}`);
  if (minorVersion === 0) {
    w.u8(Tag.FLOAT);
    const text = floatText(v);
    const field = new Uint8Array(31);
    for (let i = 0; i < text.length && i < 31; i++) field[i] = text.charCodeAt(i);
    w.bytes(field);
  } else {
    w.u8(Tag.NEW_FLOAT);
    w.f64(v);
  }
}

/** The length of a proper list of at most 65535 integers 0..255 (OTP writes it as STRING_EXT), else -1. */
function byteStringLength(l: List): number {
  let n = 0;
  let t: Term = l;
  while (t instanceof List) {
    const h = t.head;
    if (typeof h !== 'number' || h < 0 || h > 255 || n === 0xffff) return -1;
    n++;
    t = t.tail;
  }
  return t === NIL ? n : -1;
}

function writePid(w: Writer, p: Pid, utf8Atoms: boolean, me?: NodeIdentity): void {
  const local = me !== undefined && me.isLocal(p);
  w.u8(Tag.NEW_PID);
  w.bytes(atomBytes(local ? me.name : p.node, utf8Atoms));
  w.u32(p.id);
  w.u32(p.serial);
  w.u32(local ? me.creation : p.creation);
}

function writeRef(w: Writer, t: Ref, utf8Atoms: boolean, me?: NodeIdentity): void {
  const local = me !== undefined && me.isLocal(t);
  w.u8(Tag.NEWER_REFERENCE);
  w.u16(t.ids.length);
  w.bytes(atomBytes(local ? me.name : t.node, utf8Atoms));
  w.u32(local ? me.creation : t.creation);
  for (const id of t.ids) w.u32(id);
}

function writeSmallOrInteger(w: Writer, v: number): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new EtfError(`fun field out of range: ${v}`);
  writeInteger(w, v);
}

/** What NEW_FUN_EXT needs from a fun that is not fun M:F/A. */
interface LocalFunParts {
  module: Atom;
  index: number;
  oldIndex: number;
  oldUniq: number;
  md5: Uint8Array;
  free: Term[];
  pid: Pid | undefined;
}

function localFunParts(f: Fun, opts: EncodeOptions): LocalFunParts {
  const i = f.info;
  switch (i.kind) {
    case 'local': {
      const there = opts.localFun?.(i);
      if (there !== undefined) return { module: i.module, index: there.index, oldIndex: there.index, oldUniq: there.uniq, md5: there.md5, free: i.free, pid: i.pid };
      return { module: i.module, index: i.index, oldIndex: i.index, oldUniq: i.uniq, md5: i.md5, free: i.free, pid: i.pid };
    }
    case 'foreign':
      return { module: i.module, index: i.index, oldIndex: i.index, oldUniq: i.uniq, md5: i.md5, free: i.free, pid: i.pid };
    case 'eval': {
      if (f.arity > ERL_EVAL_FUN.maxArity) throw new EtfError(`shell fun of arity ${f.arity} cannot be encoded`);
      const named = i.env instanceof Tuple && i.env.size === 7;
      const index = named ? ERL_EVAL_FUN.namedIndex(f.arity) : ERL_EVAL_FUN.index(f.arity);
      return { module: ERL_EVAL_FUN.module, index, oldIndex: index, oldUniq: ERL_EVAL_FUN.oldUniq, md5: ERL_EVAL_FUN.md5, free: [i.env], pid: i.pid };
    }
    case 'export':
      throw new EtfError('not a local fun');
  }
}

/** A map's entries in the order term_to_binary writes them. */
export function mapEntries(m: ErlMap): [Term, Term][] {
  return m.keyOrdered();
}

function encodeBody(w: Writer, root: Term, opts: EncodeOptions): void {
  const minor = opts.minorVersion ?? 1;
  const u8atoms = opts.utf8Atoms === true || minor >= 2;
  writeSmall(w, root, opts, u8atoms, SMALL_DEPTH);
}

// A term's common kinds near its top are written by recursion (a distribution frame's control
// message and an rpc:call's arguments are all of them): no stack of pending terms. What is deeper
// than SMALL_DEPTH, and every other kind, goes to encodeTerms, which writes the same bytes.
function writeSmall(w: Writer, t: Term, opts: EncodeOptions, u8atoms: boolean, depth: number): void {
  if (depth <= 0) return encodeTerms(w, t, opts);
  if (typeof t === 'number') return writeInteger(w, t);
  if (t instanceof Atom) return w.bytes(atomBytes(t, u8atoms));
  if (t instanceof Tuple) {
    const n = t.elements.length;
    if (n > 255) return encodeTerms(w, t, opts);
    w.u8(Tag.SMALL_TUPLE);
    w.u8(n);
    for (let i = 0; i < n; i++) writeSmall(w, t.elements[i], opts, u8atoms, depth - 1);
    return;
  }
  if (t === NIL) return w.u8(Tag.NIL);
  if (t instanceof Pid) return writePid(w, t, u8atoms, opts.thisNode);
  if (t instanceof Ref) return writeRef(w, t, u8atoms, opts.thisNode);
  if (t instanceof List && byteStringLength(t) < 0) {
    let n = 0;
    let l: Term = t;
    for (; l instanceof List; l = l.tail) n++;
    w.u8(Tag.LIST);
    w.u32(n);
    for (l = t; l instanceof List; l = l.tail) writeSmall(w, l.head, opts, u8atoms, depth - 1);
    return writeSmall(w, l, opts, u8atoms, depth - 1);
  }
  encodeTerms(w, t, opts);
}

/** Any term, written with an explicit stack of the terms still to write (no recursion, any depth). */
function encodeTerms(w: Writer, root: Term, opts: EncodeOptions): void {
  const minor = opts.minorVersion ?? 1;
  const u8atoms = opts.utf8Atoms === true || minor >= 2;
  const stack: (Term | FunSizePatch)[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (typeof t === 'number' || typeof t === 'bigint') {
      writeInteger(w, t);
    } else if (t instanceof Atom) {
      w.bytes(atomBytes(t, u8atoms));
    } else if (t instanceof List) {
      const n = byteStringLength(t);
      if (n >= 0) {
        w.u8(Tag.STRING);
        w.u16(n);
        w.ensure(n);
        for (let l: Term = t; l instanceof List; l = l.tail) w.buf[w.pos++] = l.head as number;
        continue;
      }
      const items: Term[] = [];
      let l: Term = t;
      while (l instanceof List) {
        items.push(l.head);
        l = l.tail;
      }
      w.u8(Tag.LIST);
      w.u32(items.length);
      stack.push(l);
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    } else if (t === NIL) {
      w.u8(Tag.NIL);
    } else if (t instanceof Tuple) {
      const n = t.elements.length;
      if (n <= 255) {
        w.u8(Tag.SMALL_TUPLE);
        w.u8(n);
      } else {
        w.u8(Tag.LARGE_TUPLE);
        w.u32(n);
      }
      for (let i = n - 1; i >= 0; i--) stack.push(t.elements[i]);
    } else if (t instanceof ErlFloat) {
      writeFloat(w, t.value, minor);
    } else if (t instanceof Bin) {
      const len = Math.ceil(t.bitSize / 8);
      const bits = t.bitSize % 8;
      if (bits === 0) {
        w.u8(Tag.BINARY);
        w.u32(len);
        w.bytes(t.bytes.subarray(0, len));
      } else {
        w.u8(Tag.BIT_BINARY);
        w.u32(len);
        w.u8(bits);
        w.bytes(t.bytes.subarray(0, len - 1));
        w.u8(t.bytes[len - 1] & ((0xff << (8 - bits)) & 0xff));
      }
    } else if (t instanceof ErlMap) {
      w.u8(Tag.MAP);
      w.u32(t.size);
      const entries = mapEntries(t);
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push(entries[i][1]);
        stack.push(entries[i][0]);
      }
    } else if (t instanceof Pid) {
      writePid(w, t, u8atoms, opts.thisNode);
    } else if (t instanceof Ref) {
      writeRef(w, t, u8atoms, opts.thisNode);
    } else if (t instanceof Port) {
      const local = opts.thisNode !== undefined && opts.thisNode.isLocal(t);
      const name = atomBytes(local ? opts.thisNode!.name : t.node, u8atoms);
      if (t.id <= 0xffffffff) {
        w.u8(Tag.NEW_PORT);
        w.bytes(name);
        w.u32(t.id);
      } else {
        w.u8(Tag.V4_PORT);
        w.bytes(name);
        w.u32(Math.floor(t.id / 0x100000000));
        w.u32(t.id % 0x100000000);
      }
      w.u32(local ? opts.thisNode!.creation : t.creation);
    } else if (t instanceof Fun) {
      const i = t.info;
      if (i.kind === 'export') {
        w.u8(Tag.EXPORT);
        w.bytes(atomBytes(i.module, u8atoms));
        w.bytes(atomBytes(i.name, u8atoms));
        w.u8(Tag.SMALL_INTEGER);
        w.u8(i.arity);
        continue;
      }
      const p = localFunParts(t, opts);
      if (p.md5.length !== 16) throw new EtfError('fun checksum must be 16 bytes');
      const at = w.pos + 1;
      w.u8(Tag.NEW_FUN);
      w.u32(0); // Size, patched once the free variables are written
      w.u8(t.arity);
      w.bytes(p.md5);
      w.u32(p.index);
      w.u32(p.free.length);
      w.bytes(atomBytes(p.module, u8atoms));
      writeSmallOrInteger(w, p.oldIndex);
      writeSmallOrInteger(w, p.oldUniq);
      writePid(w, p.pid ?? opts.funCreator ?? NONODE_PID, u8atoms, opts.thisNode);
      stack.push(new FunSizePatch(at));
      for (let k = p.free.length - 1; k >= 0; k--) stack.push(p.free[k]);
    } else if (t instanceof FunSizePatch) {
      w.view.setUint32(t.at, w.pos - t.at);
    } else {
      throw new EtfError('not an Erlang term');
    }
  }
}

function compressionLevel(c: boolean | number | undefined): number {
  if (c === undefined || c === false) return 0;
  if (c === true) return 6;
  return c;
}

/** term_to_binary: 131 and the term, zlib-compressed when asked and when that is not larger. */
export function encode(t: Term, opts: EncodeOptions = {}): Uint8Array {
  const w = scratch;
  w.pos = 0;
  w.u8(VERSION_MAGIC);
  encodeBody(w, t, opts);
  const raw = scratchResult();
  const level = compressionLevel(opts.compressed);
  if (level > 0) {
    const z = deflateSync(raw.subarray(1), { level });
    // OTP keeps the compressed form only when it is not larger than the plain one
    if (z.length + 6 <= raw.length) {
      const out = new Uint8Array(6 + z.length);
      out[0] = VERSION_MAGIC;
      out[1] = Tag.COMPRESSED;
      new DataView(out.buffer).setUint32(2, raw.length - 1);
      out.set(z, 6);
      return out;
    }
  }
  return raw;
}

// ---------- decoding ----------

export interface DecodeOptions {
  /** binary_to_term's safe: create no atoms (unknown ones are an error); for strangers' input */
  safe?: boolean;
  /** with safe: does this fun M:F/A name an existing export? (no: the term is refused, as OTP's safe does) */
  knownExport?: (module: Atom, name: Atom, arity: number) => boolean;
  /** refuse terms larger than this many bytes, a compressed one's size once inflated included */
  maxSize?: number;
  /** refuse terms nested deeper than this (containers inside containers) */
  maxDepth?: number;
  /** every decoded pid passes through this (distribution maps this node's pids to its live processes' pids) */
  mapPid?: (p: Pid) => Pid;
}

export interface Decoded {
  term: Term;
  /** bytes of the input the term took, the 131 included (binary_to_term's `used`) */
  used: number;
}

class Reader {
  pos: number;
  mapPid: ((p: Pid) => Pid) | undefined = undefined;
  /** made for the first float only: most terms have none, and a DataView per term costs */
  private floats: DataView | undefined = undefined;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }
  get left(): number {
    return this.buf.length - this.pos;
  }
  need(n: number): void {
    if (n > this.buf.length - this.pos) throw new EtfError('unexpected end of external term');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }
  u32(): number {
    return this.i32() >>> 0;
  }
  i32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }
  f64(): number {
    this.need(8);
    const b = this.buf;
    this.floats ??= new DataView(b.buffer, b.byteOffset, b.byteLength);
    const v = this.floats.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// Atoms read before, by a hash of their text: node, module and function names come in every
// distribution frame, and finding them this way builds no string. A hit is checked byte by byte
// against the atom's own encoding, so a collision only costs the slow path.
const seenUtf8 = new Map<number, Atom>();
const seenLatin1 = new Map<number, Atom>();
const SEEN_MAX = 4096;

function textHash(b: Uint8Array, at: number, len: number): number {
  let h = 0x811c9dc5 ^ len;
  for (let i = at; i < at + len; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

function sameText(a: Atom, isUtf8: boolean, b: Uint8Array, at: number, len: number): boolean {
  const enc = atomBytes(a, isUtf8);
  const small = enc[0] === Tag.SMALL_ATOM_UTF8;
  const encLen = small ? enc[1] : (enc[1] << 8) | enc[2];
  if (encLen !== len) return false;
  const off = small ? 2 : 3;
  for (let i = 0; i < len; i++) if (enc[off + i] !== b[at + i]) return false;
  return true;
}

function makeAtom(name: string, safe: boolean): Atom {
  if (!safe) return atom(name);
  const a = existingAtom(name);
  if (a === undefined) throw new EtfError(`unsafe: atom '${name}' does not exist`);
  return a;
}

/** An atom in any of its four tags (the only form node names, modules and function names take). */
function readAtom(r: Reader, safe: boolean): Atom {
  const tag = r.u8();
  let len: number;
  let isUtf8: boolean;
  switch (tag) {
    case Tag.ATOM:
      len = r.u16();
      isUtf8 = false;
      break;
    case Tag.SMALL_ATOM:
      len = r.u8();
      isUtf8 = false;
      break;
    case Tag.ATOM_UTF8:
      len = r.u16();
      isUtf8 = true;
      break;
    case Tag.SMALL_ATOM_UTF8:
      len = r.u8();
      isUtf8 = true;
      break;
    case Tag.ATOM_CACHE_REF:
      throw new EtfError('atom cache reference without a distribution header');
    default:
      throw new EtfError(`expected an atom, found tag ${tag}`);
  }
  r.need(len);
  const seen = isUtf8 ? seenUtf8 : seenLatin1;
  const h = textHash(r.buf, r.pos, len);
  const known = seen.get(h);
  if (known !== undefined && sameText(known, isUtf8, r.buf, r.pos, len)) {
    r.pos += len;
    return known;
  }
  const text = r.take(len);
  const a = atomOfText(text, isUtf8, safe);
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.set(h, a);
  return a;
}

function atomOfText(text: Uint8Array, isUtf8: boolean, safe: boolean): Atom {
  const len = text.length;
  let name: string;
  if (isUtf8) {
    try {
      name = utf8Strict.decode(text);
    } catch {
      throw new EtfError('atom text is not valid UTF-8');
    }
    let chars = 0;
    for (const _ of name) chars++;
    if (chars > 255) throw new EtfError('atom longer than 255 characters');
  } else {
    if (len > 255) throw new EtfError('atom longer than 255 characters');
    name = String.fromCharCode(...text);
  }
  return makeAtom(name, safe);
}

function readPid(r: Reader, safe: boolean): Pid {
  const tag = r.u8();
  if (tag !== Tag.NEW_PID && tag !== Tag.PID) throw new EtfError(`expected a pid, found tag ${tag}`);
  const node = readAtom(r, safe);
  const id = r.u32();
  const serial = r.u32();
  const creation = tag === Tag.NEW_PID ? r.u32() : r.u8();
  return new Pid(node, id, serial, creation);
}

/** SMALL_INTEGER_EXT or INTEGER_EXT (NEW_FUN_EXT's OldIndex and OldUniq, EXPORT_EXT's arity). */
function readSmallOrInteger(r: Reader): number {
  const tag = r.u8();
  if (tag === Tag.SMALL_INTEGER) return r.u8();
  if (tag === Tag.INTEGER) return r.i32();
  throw new EtfError(`expected an integer, found tag ${tag}`);
}

function bigFromBytes(digits: Uint8Array, negative: boolean): number | bigint {
  if (digits.length <= 6) {
    let v = 0;
    for (let i = digits.length - 1; i >= 0; i--) v = v * 256 + digits[i];
    return negative ? (v === 0 ? 0 : -v) : v;
  }
  // as hex text, most significant byte first: BigInt reads hex in linear time
  const v = BigInt('0x' + Buffer.from(digits).reverse().toString('hex'));
  return normInt(negative ? -v : v);
}

const FLOAT_TEXT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/;

function floatFromText(field: Uint8Array): number {
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  const text = String.fromCharCode(...field.subarray(0, end));
  if (!FLOAT_TEXT.test(text)) throw new EtfError(`bad FLOAT_EXT text ${JSON.stringify(text)}`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new EtfError('FLOAT_EXT is not finite');
  return v;
}

/** A container being filled: its elements arrive one by one as they are decoded. */
interface Frame {
  tag: number;
  /** how many elements complete it */
  n: number;
  /** how many have arrived */
  got: number;
  /** a tuple's or a fun's elements */
  items: Term[];
  /** a list's cells, built as its elements arrive (no array of them, no second pass) */
  first?: List;
  last?: List;
  /** a map's entries, filled pair by pair, and the key waiting for its value */
  entries?: Map<unknown, [Term, Term]>;
  key?: Term;
  fun?: { arity: number; md5: Uint8Array; index: number; module: Atom; oldUniq: number; pid: Pid; end: number };
}

const OPEN = Symbol('open');
/** What run() returns when its budget is spent before the term is complete. */
export const PAUSED: unique symbol = Symbol('paused');

/** No limit: binary_to_term/1 decodes whatever OTP would. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

function addItem(f: Frame, v: Term): void {
  switch (f.tag) {
    case Tag.LIST: {
      if (f.got === f.n - 1) {
        // the tail
        if (f.last !== undefined) f.last.tail = v;
        else f.first = v as List;
        break;
      }
      const cell = new List(v, NIL);
      if (f.last !== undefined) f.last.tail = cell;
      else f.first = cell;
      f.last = cell;
      break;
    }
    case Tag.MAP:
      if ((f.got & 1) === 0) f.key = v;
      else {
        const k = f.key!;
        const mk = mapKeyOf(k);
        if (f.entries!.has(mk)) throw new EtfError('map with a duplicate key');
        f.entries!.set(mk, [k, v]);
        f.key = undefined;
      }
      break;
    default:
      f.items.push(v);
  }
  f.got++;
}

function finishFrame(f: Frame): Term {
  switch (f.tag) {
    case Tag.SMALL_TUPLE:
    case Tag.LARGE_TUPLE:
      return new Tuple(f.items);
    case Tag.LIST:
      // LIST_EXT of length 0 is just its tail
      return f.first !== undefined ? f.first : NIL;
    case Tag.MAP:
      return new ErlMap(f.entries);
    default: {
      const h = f.fun!;
      const info: FunKind = { kind: 'foreign', module: h.module, index: h.index, uniq: h.oldUniq, md5: h.md5, free: f.items, pid: h.pid };
      return funResolver?.(h.arity, info) ?? new Fun(h.arity, undefined, info);
    }
  }
}

/**
 * One term's body (no version byte), decoded iteratively with an explicit stack, in steps:
 * run(budget) decodes at most `budget` terms and returns the term, or PAUSED to be called again.
 * Nesting deeper than maxDepth is refused as it is met, before anything beyond it is allocated.
 */
class BodyDecoder {
  private readonly stack: Frame[] = [];
  private done = false;

  constructor(
    readonly r: Reader,
    private readonly opts: DecodeOptions,
  ) {}

  run(budget: number): Term | typeof PAUSED {
    if (this.done) throw new Error('term already decoded');
    const r = this.r;
    const safe = this.opts.safe === true;
    const stack = this.stack;
    for (;;) {
      if (budget-- <= 0) return PAUSED;
      let value: Term | typeof OPEN;
      const start = r.pos;
      const tag = r.u8();
      switch (tag) {
        case Tag.SMALL_INTEGER:
          value = r.u8();
          break;
        case Tag.INTEGER:
          value = r.i32();
          break;
        case Tag.SMALL_BIG:
        case Tag.LARGE_BIG: {
          const n = tag === Tag.SMALL_BIG ? r.u8() : r.u32();
          const sign = r.u8();
          if (sign > 1) throw new EtfError('bad bignum sign');
          value = bigFromBytes(r.take(n), sign === 1);
          break;
        }
        case Tag.NEW_FLOAT: {
          const v = r.f64();
          if (!Number.isFinite(v)) throw new EtfError('float is not finite');
          value = new ErlFloat(v);
          break;
        }
        case Tag.FLOAT:
          value = new ErlFloat(floatFromText(r.take(31)));
          break;
        case Tag.ATOM:
        case Tag.SMALL_ATOM:
        case Tag.ATOM_UTF8:
        case Tag.SMALL_ATOM_UTF8:
        case Tag.ATOM_CACHE_REF:
          r.pos = start;
          value = readAtom(r, safe);
          break;
        case Tag.SMALL_TUPLE:
        case Tag.LARGE_TUPLE: {
          const n = tag === Tag.SMALL_TUPLE ? r.u8() : r.u32();
          value = n === 0 ? new Tuple([]) : this.open(tag, n);
          break;
        }
        case Tag.NIL:
          value = NIL;
          break;
        case Tag.STRING: {
          const bytes = r.take(r.u16());
          let l: Term = NIL;
          for (let i = bytes.length - 1; i >= 0; i--) l = new List(bytes[i], l);
          value = l;
          break;
        }
        case Tag.LIST:
          value = this.open(Tag.LIST, r.u32() + 1);
          break;
        case Tag.BINARY:
          value = new Bin(r.take(r.u32()).slice());
          break;
        case Tag.BIT_BINARY: {
          const len = r.u32();
          const bits = r.u8();
          if (len === 0 ? bits !== 0 : bits < 1 || bits > 8) throw new EtfError('bad BIT_BINARY_EXT bit count');
          const bytes = r.take(len).slice();
          if (len > 0) bytes[len - 1] &= (0xff << (8 - bits)) & 0xff;
          value = new Bin(bytes, len === 0 ? 0 : (len - 1) * 8 + bits);
          break;
        }
        case Tag.MAP: {
          const n = r.u32();
          // every key and value takes at least one byte
          value = n === 0 ? new ErlMap() : this.open(Tag.MAP, n * 2);
          break;
        }
        case Tag.NEW_PID:
        case Tag.PID:
          r.pos = start;
          value = r.mapPid !== undefined ? r.mapPid(readPid(r, safe)) : readPid(r, safe);
          break;
        case Tag.NEWER_REFERENCE:
        case Tag.NEW_REFERENCE: {
          const len = r.u16();
          if (len > 5) throw new EtfError('reference longer than 5 words');
          const node = readAtom(r, safe);
          const creation = tag === Tag.NEWER_REFERENCE ? r.u32() : r.u8();
          const ids: number[] = [];
          for (let i = 0; i < len; i++) ids.push(r.u32());
          value = new Ref(node, ids, creation);
          break;
        }
        case Tag.REFERENCE: {
          const node = readAtom(r, safe);
          const id = r.u32();
          value = new Ref(node, [id], r.u8());
          break;
        }
        case Tag.NEW_PORT:
        case Tag.PORT:
        case Tag.V4_PORT: {
          const node = readAtom(r, safe);
          let id: number;
          if (tag === Tag.V4_PORT) {
            const hi = r.u32();
            const lo = r.u32();
            if (hi >= 0x200000) throw new EtfError('port id too large');
            id = hi * 0x100000000 + lo;
          } else {
            id = r.u32();
          }
          value = new Port(node, id, tag === Tag.PORT ? r.u8() : r.u32());
          break;
        }
        case Tag.EXPORT: {
          const module = readAtom(r, safe);
          const name = readAtom(r, safe);
          if (r.u8() !== Tag.SMALL_INTEGER) throw new EtfError('EXPORT_EXT arity must be a small integer');
          const arity = r.u8();
          // safe: no new export entries (OTP's binary_to_term refuses a fun M:F/A nobody exports)
          if (safe && this.opts.knownExport !== undefined && !this.opts.knownExport(module, name, arity))
            throw new EtfError(`unsafe: fun ${module.name}:${name.name}/${arity} is not an existing export`);
          const info: FunKind = { kind: 'export', module, name, arity };
          value = funResolver?.(arity, info) ?? new Fun(arity, undefined, info);
          break;
        }
        case Tag.NEW_FUN: {
          const size = r.u32();
          if (size < 4 || size - 4 > r.left) throw new EtfError('bad NEW_FUN_EXT size');
          const end = start + 1 + size;
          const arity = r.u8();
          const md5 = r.take(16).slice();
          const index = r.u32();
          const numFree = r.u32();
          const module = readAtom(r, safe);
          readSmallOrInteger(r); // OldIndex: the same as Index for every OTP 23+ node
          const oldUniq = readSmallOrInteger(r);
          const pid = readPid(r, safe);
          const fun = { arity, md5, index, module, oldUniq, pid, end };
          if (numFree === 0) {
            if (r.pos !== end) throw new EtfError('NEW_FUN_EXT size does not match its contents');
            value = finishFrame({ tag, n: 0, got: 0, items: [], fun });
          } else {
            value = this.open(tag, numFree);
            stack[stack.length - 1].fun = fun;
          }
          break;
        }
        case Tag.FUN:
          throw new EtfError('FUN_EXT is no longer supported');
        case Tag.COMPRESSED:
          throw new EtfError('compressed term inside a term');
        default:
          throw new EtfError(`unknown external term tag ${tag}`);
      }
      if (value === OPEN) continue;
      // hand the finished term to the containers waiting for it
      for (;;) {
        const f = stack[stack.length - 1];
        if (f === undefined) {
          this.done = true;
          return value;
        }
        addItem(f, value);
        if (f.got < f.n) break;
        stack.pop();
        if (f.fun !== undefined && r.pos !== f.fun.end) throw new EtfError('NEW_FUN_EXT size does not match its contents');
        value = finishFrame(f);
      }
    }
  }

  /** A container of n elements starts: it waits on the stack for them. */
  private open(tag: number, n: number): typeof OPEN {
    // every element takes at least one byte: refuse counts the input cannot hold before allocating
    if (n > this.r.left) throw new EtfError('length exceeds the input');
    if (this.stack.length >= (this.opts.maxDepth ?? UNLIMITED)) throw new EtfError('term nested deeper than allowed');
    const f: Frame = { tag, n, got: 0, items: [] };
    if (tag === Tag.MAP) f.entries = new Map();
    this.stack.push(f);
    return OPEN;
  }
}

// ---------- small terms at once ----------
// A distribution frame's terms are small and shallow (an rpc:call's control messages, a reply): read
// by recursion, instead of BodyDecoder's stack of frames filled one element at a time, they cost
// about half. Only the common kinds are read so; anything else, or
// anything wrong (short input, a bad length, nesting deeper than SMALL_DEPTH or the caller's
// maxDepth), is left to BodyDecoder from the term's start, which decodes or refuses it as always.

const SMALL_DEPTH = 64;

/** 131 and a term at r's position, read at once; undefined (r where it was) for BodyDecoder. */
function decodeSmallTerm(r: Reader, opts: DecodeOptions): Term | undefined {
  const at = r.pos;
  const b = r.buf;
  if (b[at] !== VERSION_MAGIC || b[at + 1] === Tag.COMPRESSED || b.length - at > (opts.maxSize ?? UNLIMITED)) return undefined;
  r.pos = at + 1;
  let t: Term | undefined;
  try {
    t = smallTerm(r, opts, Math.min(SMALL_DEPTH, opts.maxDepth ?? UNLIMITED));
  } catch {
    t = undefined;
  }
  if (t === undefined) r.pos = at;
  return t;
}

/** One term; `depth` containers may still open. Undefined: not one this path reads. */
function smallTerm(r: Reader, opts: DecodeOptions, depth: number): Term | undefined {
  const tag = r.u8();
  switch (tag) {
    case Tag.SMALL_INTEGER:
      return r.u8();
    case Tag.INTEGER:
      return r.i32();
    case Tag.SMALL_ATOM_UTF8:
    case Tag.ATOM_UTF8:
    case Tag.ATOM:
    case Tag.SMALL_ATOM:
      r.pos--;
      return readAtom(r, opts.safe === true);
    case Tag.NIL:
      return NIL;
    case Tag.SMALL_TUPLE: {
      const n = r.u8();
      if (n === 0) return new Tuple([]);
      if (depth <= 0 || n > r.left) return undefined;
      // filled by push, as every other tuple's array: a holey one would make element reads polymorphic
      const items: Term[] = [];
      for (let i = 0; i < n; i++) {
        const v = smallTerm(r, opts, depth - 1);
        if (v === undefined) return undefined;
        items.push(v);
      }
      return new Tuple(items);
    }
    case Tag.LIST: {
      const n = r.u32();
      if (depth <= 0 || n >= r.left) return undefined;
      let first: List | undefined;
      let last: List | undefined;
      for (let i = 0; i < n; i++) {
        const v = smallTerm(r, opts, depth - 1);
        if (v === undefined) return undefined;
        const cell = new List(v, NIL);
        if (last === undefined) first = cell;
        else last.tail = cell;
        last = cell;
      }
      const tail = smallTerm(r, opts, depth - 1);
      if (tail === undefined) return undefined;
      if (last === undefined) return tail;
      last.tail = tail;
      return first!;
    }
    case Tag.STRING: {
      const bytes = r.take(r.u16());
      let l: Term = NIL;
      for (let i = bytes.length - 1; i >= 0; i--) l = new List(bytes[i], l);
      return l;
    }
    case Tag.NEW_PID: {
      r.pos--;
      const p = readPid(r, opts.safe === true);
      return opts.mapPid !== undefined ? opts.mapPid(p) : p;
    }
    case Tag.NEWER_REFERENCE: {
      const len = r.u16();
      if (len > 5) return undefined;
      const node = readAtom(r, opts.safe === true);
      const creation = r.u32();
      const ids: number[] = [];
      for (let i = 0; i < len; i++) ids.push(r.u32());
      return new Ref(node, ids, creation);
    }
    case Tag.BINARY:
      return new Bin(r.take(r.u32()).slice());
    default:
      return undefined;
  }
}

/**
 * 131 and a term (plain or compressed) at r's position, decoded in steps (run(budget), as
 * BodyDecoder's). A compressed term is inflated first, at most to maxSize bytes: the size it
 * claims is checked before inflating, and inflating stops at that size.
 */
export class TermDecoder {
  private readonly body: BodyDecoder;
  /** where r ends after the term (known up front for a compressed one) */
  private readonly after: number | undefined;

  constructor(
    private readonly r: Reader,
    opts: DecodeOptions,
  ) {
    const bytes = r.buf;
    const at = r.pos;
    r.mapPid = opts.mapPid;
    const maxSize = opts.maxSize ?? UNLIMITED;
    if (r.u8() !== VERSION_MAGIC) throw new EtfError('not an external term (no version byte 131)');
    if (bytes.length - at > maxSize) throw new EtfError('term larger than allowed');
    if (bytes.length - at < 2 || bytes[at + 1] !== Tag.COMPRESSED) {
      this.body = new BodyDecoder(r, opts);
      return;
    }
    r.pos = at + 2;
    const size = r.u32();
    if (size > maxSize) throw new EtfError('term larger than allowed');
    let body: Uint8Array;
    let consumed: number;
    try {
      const out = inflateSync(bytes.subarray(at + 6), { info: true, maxOutputLength: Math.max(size, 1) }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      body = new Uint8Array(out.buffer.buffer, out.buffer.byteOffset, out.buffer.byteLength);
      consumed = out.engine.bytesWritten;
    } catch (e) {
      throw new EtfError(`bad compressed term: ${(e as Error).message}`);
    }
    if (body.length !== size) throw new EtfError('compressed term has the wrong size');
    const inner = new Reader(body);
    inner.mapPid = opts.mapPid;
    this.body = new BodyDecoder(inner, opts);
    this.after = at + 6 + consumed;
  }

  run(budget: number): Term | typeof PAUSED {
    const t = this.body.run(budget);
    if (t !== PAUSED && this.after !== undefined) this.r.pos = this.after;
    return t;
  }
}

/** binary_to_term: the term after the 131 version byte, and how many bytes it took. */
export function decode(bytes: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const r = new Reader(bytes);
  const term = new TermDecoder(r, opts).run(UNLIMITED) as Term;
  return { term, used: r.pos };
}

/**
 * The same in steps of at most `budget` terms, for a caller that lets others run in between
 * (binary_to_term in a process, a big distribution frame): yields between steps.
 */
export function* decodeInSteps(bytes: Uint8Array, opts: DecodeOptions, budget: number): Generator<void, Decoded, unknown> {
  const r = new Reader(bytes);
  const d = new TermDecoder(r, opts);
  for (;;) {
    const t = d.run(budget);
    if (t !== PAUSED) return { term: t, used: r.pos };
    yield;
  }
}

/** The term in bytes (trailing bytes ignored, as binary_to_term/1 does). */
export function decodeTerm(bytes: Uint8Array, opts: DecodeOptions = {}): Term {
  return decode(bytes, opts).term;
}

// ---------- distribution frames ----------

export interface ControlFrame {
  control: Term;
  /** the message, for the control messages that carry one (SEND, REG_SEND, PAYLOAD_EXIT, ...) */
  payload?: Term;
}

/**
 * A distribution message without an atom cache: 112 | 131 Control | [131 Payload]
 * (the frame's 4-byte length already removed). The control is a tuple whose first element is the operation.
 */
export function decodeControl(frame: Uint8Array, opts: DecodeOptions = {}): ControlFrame {
  const r = decodeControlAtOnce(frame, opts, UNLIMITED);
  if (r === undefined) throw new Error('unreachable: an unlimited budget pauses');
  return r;
}

/**
 * The same at once when the control message and the payload each take at most `budget` terms (the
 * frames of an rpc:call, a send): no generators made for a frame that never pauses. Undefined when
 * one of them needs more: decodeControlInSteps then decodes the frame a slice at a time.
 */
export function decodeControlAtOnce(frame: Uint8Array, opts: DecodeOptions, budget: number): ControlFrame | undefined {
  const r = frameReader(frame);
  const control = decodeSmallTerm(r, opts) ?? new TermDecoder(r, opts).run(budget);
  if (control === PAUSED) return undefined;
  checkControl(control);
  if (r.pos === frame.length) return { control };
  const payload = decodeSmallTerm(r, opts) ?? new TermDecoder(r, opts).run(budget);
  if (payload === PAUSED) return undefined;
  if (r.pos !== frame.length) throw new EtfError('bytes left over after the message');
  return { control, payload };
}

/** The same in steps of at most `budget` terms, yielding between them. */
export function* decodeControlInSteps(frame: Uint8Array, opts: DecodeOptions, budget: number): Generator<void, ControlFrame, unknown> {
  // one reader for both terms
  const r = frameReader(frame);
  const control = yield* stepsOf(new TermDecoder(r, opts), budget);
  checkControl(control);
  if (r.pos === frame.length) return { control };
  const payload = yield* stepsOf(new TermDecoder(r, opts), budget);
  if (r.pos !== frame.length) throw new EtfError('bytes left over after the message');
  return { control, payload };
}

/** A reader at the control message of a frame that starts as PASS_THROUGH frames do. */
function frameReader(frame: Uint8Array): Reader {
  if (frame.length === 0) throw new EtfError('empty distribution frame');
  if (frame[0] === VERSION_MAGIC && (frame[1] === Tag.DIST_HEADER || frame[1] === Tag.DIST_FRAG_HEADER))
    throw new EtfError('distribution header received, but DIST_HDR_ATOM_CACHE was not negotiated');
  if (frame[0] !== PASS_THROUGH) throw new EtfError(`distribution frame starts with ${frame[0]}, not 112`);
  return new Reader(frame, 1);
}

function checkControl(control: Term): void {
  if (!(control instanceof Tuple) || control.size === 0) throw new EtfError('control message is not a tuple');
}

function* stepsOf(d: TermDecoder, budget: number): Generator<void, Term, unknown> {
  for (;;) {
    const t = d.run(budget);
    if (t !== PAUSED) return t;
    yield;
  }
}

/** 112 | 131 Control | [131 Payload], atoms in UTF-8 as on every OTP 23+ connection. */
export function encodeControl(control: Tuple, payload?: Term, opts: EncodeOptions = {}): Uint8Array {
  const w = scratch;
  w.pos = 0;
  writeControl(w, control, payload, opts);
  return scratchResult();
}

/**
 * The same, appended to w behind its 4-byte length: a connection gathers the frames of one
 * callback in one buffer and writes them with one system call. On an encoding error w is left as
 * it was, so the frames before it still go out.
 */
export function appendFrame(w: Writer, control: Tuple, payload: Term | undefined, opts: EncodeOptions): void {
  const at = w.pos;
  try {
    w.u32(0);
    writeControl(w, control, payload, opts);
  } catch (e) {
    w.pos = at;
    throw e;
  }
  w.view.setUint32(at, w.pos - at - 4);
}

function writeControl(w: Writer, control: Tuple, payload: Term | undefined, opts: EncodeOptions): void {
  const o: EncodeOptions = opts.utf8Atoms === true ? opts : { ...opts, utf8Atoms: true };
  w.u8(PASS_THROUGH);
  w.u8(VERSION_MAGIC);
  encodeBody(w, control, o);
  if (payload !== undefined) {
    w.u8(VERSION_MAGIC);
    encodeBody(w, payload, o);
  }
}
