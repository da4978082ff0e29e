// Module zlib (native in OTP): a zstream is a reference to a deflate or inflate stream owned by the
// process that opened it; compress/uncompress, zip/unzip and gzip/gunzip are one-shot uses of one.
// The engine is zlib itself (zlib_engine.ts), so the bytes are erl's. Errors are the plain atoms
// OTP's zlib raises (data_error, not_initialized, ...) from the frames erl shows for them; those
// frames carry no location, as zlib is preloaded without line information.

import { Atom, Bin, List, NIL, Pid, Ref, Term, Tuple, atom, list, tuple, OK, FALSE } from '../../vm/term.js';
import { ErlangException, badarg, erlError } from '../../vm/exception.js';
import { defineBif, lookupBif } from '../../vm/bif_registry.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { iodataBytes, items } from '../common.js';
import { DeflateParams, Engine, FLUSH, ZlibError, deflateEngine, inflateEngine } from './zlib_engine.js';

type Frame = [string, Term[] | number];

function zframe([fn, a]: Frame, module = 'zlib'): Tuple {
  return tuple(atom(module), atom(fn), typeof a === 'number' ? a : list(a), NIL);
}

/** error:Reason from zlib's frames, innermost first. */
function zerror(reason: string, ...frames: Frame[]): ErlangException {
  return erlError(atom(reason), list(frames.map((f) => zframe(f))));
}

/** badarg from erlang:iolist_to_iovec/1 under zlib's enqueue_input/2 and the callers given. */
function iovecError(data: Term, ...callers: Frame[]): ErlangException {
  const head = (badarg('erlang', 'iolist_to_iovec', [data], { 1: 'not an iodata term' }).stack as List).head;
  return erlError(atom('badarg'), list([head, zframe(['enqueue_input', 2]), ...callers.map((f) => zframe(f))]));
}

interface InflateState {
  windowBits: number;
  eos: 'cut' | 'reset' | 'error';
  dictionary: Uint8Array | undefined;
  /** input kept until the stream gives output, to replay it once a needed dictionary is set */
  held: Uint8Array[] | undefined;
  /** the engine was made anew (with a dictionary): feed it what was held first */
  replay: boolean;
  ended: boolean;
}

interface ZStream {
  owner: Pid;
  closed: boolean;
  engine: Engine | undefined;
  deflate: (DeflateParams & { finished: boolean }) | undefined;
  inflate: InflateState | undefined;
  /** output made by deflateParams, given back by the next deflate */
  stash: Uint8Array[];
  bufSize: number;
}

const streams = new WeakMap<Ref, ZStream>();

/** The stream behind Z, checked as the NIF named checks it: a zstream, and this process's. */
function stream(z: Term, nif: Frame, ...callers: Frame[]): ZStream {
  const s = z instanceof Ref ? streams.get(z) : undefined;
  if (s === undefined) throw zerror('badarg', nif, ...callers);
  if (s.owner !== S.current.pid) throw zerror('not_on_controlling_process', nif, ...callers);
  return s;
}

function endEngine(s: ZStream): void {
  s.engine?.close();
  s.engine = undefined;
  s.deflate = undefined;
  s.inflate = undefined;
  s.stash = [];
}

const out = (b: Uint8Array): Term => (b.length === 0 ? NIL : list([new Bin(b)]));

defineBif('zlib', 'open', 0, () => {
  const ref = node.makeRef();
  streams.set(ref, { owner: S.current.pid, closed: false, engine: undefined, deflate: undefined, inflate: undefined, stash: [], bufSize: 4000 });
  return ref;
});

defineBif('zlib', 'close', 1, (z) => {
  const s = stream(z, ['close_nif', [z]]);
  if (s.closed) throw zerror('not_initialized', ['close_nif', [z]]);
  endEngine(s);
  s.closed = true;
  return OK;
});

defineBif('zlib', 'set_controlling_process', 2, (z, pid) => {
  const s = stream(z, ['set_controller_nif', [z, pid]]);
  if (!(pid instanceof Pid)) throw zerror('badarg', ['set_controller_nif', [z, pid]]);
  s.owner = pid;
  return OK;
});

// ---------- arguments ----------

function level(t: Term): number {
  const named: Record<string, number> = { none: 0, best_speed: 1, best_compression: 9, default: -1 };
  if (t instanceof Atom && t.name in named) return named[t.name];
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 9) return t;
  throw zerror('bad_compression_level', ['arg_level', 1], ['deflateInit', 6]);
}

function strategy(t: Term, caller: Frame): number {
  const named: Record<string, number> = { default: 0, filtered: 1, huffman_only: 2, rle: 3 };
  if (t instanceof Atom && t.name in named) return named[t.name];
  throw zerror('bad_compression_strategy', ['arg_strategy', 1], caller);
}

function windowBits(t: Term, caller: Frame): number {
  if (typeof t === 'number' && Number.isInteger(t) && ((t >= 8 && t < 48) || (t >= -15 && t <= -8))) return t;
  throw zerror('bad_windowbits', ['arg_bitsz', 1], caller);
}

// ---------- deflate ----------

function deflateInit(z: Term, lv: Term, method: Term, wb: Term, mem: Term, st: Term): Term {
  const caller: Frame = ['deflateInit', 6];
  const p: DeflateParams = { level: level(lv), windowBits: 0, memLevel: 0, strategy: 0 };
  if (method !== atom('deflated')) throw zerror('bad_compression_method', ['arg_method', 1], caller);
  p.windowBits = windowBits(wb, caller);
  if (!(typeof mem === 'number' && Number.isInteger(mem) && mem >= 1 && mem <= 9)) throw zerror('bad_memlevel', ['arg_mem', 1], caller);
  p.memLevel = mem;
  p.strategy = strategy(st, caller);
  const nif: Frame = ['deflateInit_nif', [z, p.level, 8, p.windowBits, p.memLevel, p.strategy]];
  const s = stream(z, nif);
  if (s.closed || s.engine) throw zerror('already_initialized', nif);
  if (p.windowBits > 31) throw zerror('stream_error', nif);
  s.engine = deflateEngine(p);
  s.deflate = { ...p, finished: false };
  return OK;
}

defineBif('zlib', 'deflateInit', 1, (z) => deflateInit(z, atom('default'), atom('deflated'), 15, 8, atom('default')));
defineBif('zlib', 'deflateInit', 2, (z, lv) => deflateInit(z, lv, atom('deflated'), 15, 8, atom('default')));
defineBif('zlib', 'deflateInit', 6, deflateInit);

function deflate(z: Term, data: Term, flush: Term, caller: Frame = ['deflate', 3]): Term {
  const f = flush instanceof Atom ? FLUSH[flush.name as keyof typeof FLUSH] : undefined;
  if (f === undefined) throw zerror('bad_flush_mode', ['arg_flush', 1], ['deflate_opts', 1], caller);
  const s = stream(z, ['getStash_nif', [z]], ['restore_progress', 2], caller);
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw iovecError(data, caller);
  if (!s.engine || !s.deflate) throw zerror('not_initialized', ['enqueue_nif', [z, list([new Bin(bytes)])]], ['enqueue_input_1', 2], caller);
  const produced = s.engine.write(bytes, f).out;
  if (flush === atom('finish')) s.deflate.finished = true;
  if (s.stash.length === 0) return out(produced);
  // deflateParams's output comes first, as the iolist it was
  const stashed = list(s.stash.filter((b) => b.length > 0).map((b) => new Bin(b)));
  s.stash = [];
  return produced.length === 0 ? list([stashed]) : list([stashed, new Bin(produced)]);
}

defineBif('zlib', 'deflate', 2, (z, data) => deflate(z, data, atom('none')));
defineBif('zlib', 'deflate', 3, (z, data, flush) => deflate(z, data, flush));

/** deflateEnd/inflateEnd: the stream is done with; ending it unfinished is a data_error. */
function end(z: Term, kind: 'deflate' | 'inflate'): Term {
  const nif: Frame = [`${kind}End_nif`, [z]];
  const s = stream(z, nif);
  const state = kind === 'deflate' ? s.deflate : s.inflate;
  if (!state) throw zerror('not_initialized', nif);
  const finished = kind === 'deflate' ? s.deflate!.finished : s.inflate!.ended;
  endEngine(s);
  if (!finished) throw zerror('data_error', nif);
  return OK;
}

defineBif('zlib', 'deflateEnd', 1, (z) => end(z, 'deflate'));

defineBif('zlib', 'deflateReset', 1, (z) => {
  const s = stream(z, ['deflateReset_nif', [z]]);
  if (!s.deflate || !s.engine) throw zerror('not_initialized', ['deflateReset_nif', [z]]);
  s.engine.close();
  const { dictionary: _omit, finished: _f, ...p } = s.deflate;
  s.engine = deflateEngine(p);
  s.deflate = { ...p, finished: false };
  s.stash = [];
  return OK;
});

defineBif('zlib', 'deflateParams', 3, (z, lv, st) => {
  const caller: Frame = ['deflateParams', 3];
  const l = level(lv);
  const strat = strategy(st, caller);
  const s = stream(z, ['getStash_nif', [z]], ['restore_progress', 2], ['deflate', 3], caller);
  if (!s.deflate || !s.engine) throw zerror('not_initialized', ['deflateParams_nif', [z, l, strat]]);
  // what is pending goes out first (flushed), to come back with the next deflate
  s.stash.push(s.engine.write(new Uint8Array(0), FLUSH.sync).out);
  s.engine.params(l, strat);
  s.deflate.level = l;
  s.deflate.strategy = strat;
  return OK;
});

defineBif('zlib', 'deflateSetDictionary', 2, (z, dict) => {
  const nif: Frame = ['deflateSetDictionary_nif', [z, dict]];
  const s = stream(z, nif);
  const d = iodataBytes(dict);
  if (d === undefined) throw zerror('badarg', nif);
  if (!s.deflate || !s.engine) throw zerror('not_initialized', nif);
  if (s.deflate.windowBits > 15) throw zerror('stream_error', nif);
  // node takes a dictionary when the stream is made: make it again, with one
  s.engine.close();
  s.deflate.dictionary = d.slice();
  s.engine = deflateEngine(s.deflate);
  return adler32(d);
});

// ---------- inflate ----------

function inflateInit(z: Term, wb: Term, eos: Term): Term {
  const caller: Frame = ['inflateInit', 3];
  const bits = windowBits(wb, caller);
  if (!(eos === atom('cut') || eos === atom('reset') || eos === atom('error'))) {
    throw zerror('bad_eos_behavior', ['arg_eos_behavior', 1], caller);
  }
  const nif: Frame = ['inflateInit_nif', [z, bits, eos === atom('error') ? 0 : eos === atom('reset') ? 1 : 2]];
  const s = stream(z, nif);
  if (s.closed || s.engine) throw zerror('already_initialized', nif);
  s.engine = inflateEngine(bits);
  s.inflate = { windowBits: bits, eos: (eos as Atom).name as InflateState['eos'], dictionary: undefined, held: [], replay: false, ended: false };
  return OK;
}

defineBif('zlib', 'inflateInit', 1, (z) => inflateInit(z, 15, atom('cut')));
defineBif('zlib', 'inflateInit', 2, (z, wb) => inflateInit(z, wb, atom('cut')));
defineBif('zlib', 'inflateInit', 3, inflateInit);

class NeedDictionary {
  constructor(
    readonly adler: number,
    readonly output: Uint8Array,
  ) {}
}

/** Inflate what is given (and what was held back); the output, or NeedDictionary. */
function inflateAll(s: ZStream, bytes: Uint8Array, caller: Frame, z: Term): Uint8Array | NeedDictionary {
  const st = s.inflate!;
  if (st.ended && st.eos === 'cut') return new Uint8Array(0);
  let input = bytes;
  if (st.held) {
    st.held.push(bytes);
    if (st.replay) input = Buffer.concat(st.held);
    st.replay = false;
  }
  const outs: Uint8Array[] = [];
  for (;;) {
    let r: { out: Uint8Array; left: number };
    try {
      r = s.engine!.write(input, FLUSH.none);
    } catch (e) {
      if (e instanceof ZlibError && e.errno === 2) return new NeedDictionary(dictionaryId(input), Buffer.concat(outs));
      if (e instanceof ZlibError) throw zerror('data_error', ['inflate_nif', [z, 8192, 16384, 0]], ['dequeue_all_chunks_1', 3], caller);
      throw e;
    }
    if (r.out.length > 0) {
      outs.push(r.out);
      st.held = undefined;
    }
    if (r.left === 0) break;
    // the stream ended with input left: a next stream (reset), or the rest ignored (cut)
    st.ended = true;
    if (st.eos !== 'reset') break;
    s.engine!.close();
    s.engine = inflateEngine(st.windowBits, st.dictionary);
    input = input.subarray(input.length - r.left);
    st.ended = false;
  }
  if (!st.ended && s.engine!.ended()) st.ended = true;
  return outs.length === 1 ? outs[0] : Buffer.concat(outs);
}

/** The dictionary id a zlib stream's header asks for (FDICT set: the 4 bytes after CMF and FLG). */
function dictionaryId(input: Uint8Array): number {
  return input.length >= 6 ? ((input[2] << 24) | (input[3] << 16) | (input[4] << 8) | input[5]) >>> 0 : 0;
}

function inflateArgs(z: Term, data: Term, caller: Frame): { s: ZStream; bytes: Uint8Array } {
  const s = stream(z, ['inflate_nif', [z, 8192, 16384, 0]], ['dequeue_all_chunks_1', 3], caller);
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw iovecError(data, caller);
  if (!s.engine || !s.inflate) throw zerror('not_initialized', ['enqueue_nif', [z, list([new Bin(bytes)])]], ['enqueue_input_1', 2], caller);
  return { s, bytes };
}

function inflate(z: Term, data: Term, opts: Term): Term {
  const caller: Frame = ['inflate', 3];
  const xs = items(opts) ?? [];
  let raise = true;
  for (const x of xs) {
    if (x instanceof Tuple && x.elements.length === 2 && x.elements[0] === atom('exception_on_need_dict')) raise = x.elements[1] !== FALSE;
  }
  const { s, bytes } = inflateArgs(z, data, caller);
  const r = inflateAll(s, bytes, caller, z);
  if (r instanceof NeedDictionary) {
    if (raise) throw erlError(tuple(atom('need_dictionary'), r.adler), list([zframe(['exception_on_need_dict', 2])]));
    return tuple(atom('need_dictionary'), r.adler, out(r.output));
  }
  return out(r);
}

defineBif('zlib', 'inflate', 2, (z, data) => inflate(z, data, NIL));
defineBif('zlib', 'inflate', 3, inflate);

defineBif('zlib', 'safeInflate', 2, (z, data) => {
  const { s, bytes } = inflateArgs(z, data, ['safeInflate', 2]);
  const r = inflateAll(s, bytes, ['safeInflate', 2], z);
  if (r instanceof NeedDictionary) return tuple(atom('need_dictionary'), r.adler, out(r.output));
  return tuple(atom('finished'), out(r));
});

defineBif('zlib', 'inflateEnd', 1, (z) => end(z, 'inflate'));

defineBif('zlib', 'inflateReset', 1, (z) => {
  const s = stream(z, ['inflateReset_nif', [z]]);
  if (!s.inflate || !s.engine) throw zerror('not_initialized', ['inflateReset_nif', [z]]);
  s.engine.close();
  s.engine = inflateEngine(s.inflate.windowBits);
  s.inflate = { ...s.inflate, dictionary: undefined, held: [], replay: false, ended: false };
  return OK;
});

defineBif('zlib', 'inflateSetDictionary', 2, (z, dict) => {
  const nif: Frame = ['inflateSetDictionary_nif', [z, dict]];
  const s = stream(z, nif);
  const d = iodataBytes(dict);
  if (d === undefined) throw zerror('badarg', nif);
  if (!s.inflate || !s.engine) throw zerror('not_initialized', nif);
  // node takes the dictionary when the stream is made: make it again and replay what was held
  s.engine.close();
  s.inflate.dictionary = d.slice();
  s.inflate.replay = true;
  s.engine = inflateEngine(s.inflate.windowBits, s.inflate.dictionary);
  return OK;
});

defineBif('zlib', 'inflateGetDictionary', 1, (z) => {
  const s = stream(z, ['inflateGetDictionary_nif', [z]]);
  if (!s.inflate) throw zerror('not_initialized', ['inflateGetDictionary_nif', [z]]);
  return new Bin(s.inflate.dictionary ?? new Uint8Array(0));
});

// ---------- buffer size and checksums (deprecated in OTP 25, still there) ----------

defineBif('zlib', 'getBufSize', 1, (z) => stream(z, ['getBufSize_nif', [z]]).bufSize);
defineBif('zlib', 'setBufSize', 2, (z, n) => {
  if (!(typeof n === 'number' && n > 16 && n < 1 << 24)) throw zerror('badarg', ['setBufSize', [z, n]]);
  stream(z, ['setBufSize_nif', [z, n]]).bufSize = n;
  return OK;
});

function erlangBif(name: string, ...args: Term[]): Term {
  return lookupBif('erlang', name, args.length)!.pure!(...args);
}

function adler32(d: Uint8Array): number {
  return erlangBif('adler32', new Bin(d)) as number;
}

for (const name of ['crc32', 'adler32']) {
  defineBif('zlib', name, 2, (z, data) => {
    stream(z, [`${name}_nif`, [z]]);
    return erlangBif(name, data);
  });
  defineBif('zlib', name, 3, (z, prev, data) => {
    stream(z, [`${name}_nif`, [z]]);
    return erlangBif(name, prev, data);
  });
}

// ---------- one-shot ----------

function oneShot(data: Term, kind: 'compress' | 'zip' | 'gzip'): Term {
  const bytes = iodataBytes(data);
  if (bytes === undefined) throw iovecError(data, ['deflate', 3], [kind, 1]);
  const wb = kind === 'compress' ? 15 : kind === 'zip' ? -15 : 31;
  const e = deflateEngine({ level: -1, windowBits: wb, memLevel: 8, strategy: 0 });
  try {
    return new Bin(e.write(bytes, FLUSH.finish).out);
  } finally {
    e.close();
  }
}

defineBif('zlib', 'compress', 1, (d) => oneShot(d, 'compress'));
defineBif('zlib', 'zip', 1, (d) => oneShot(d, 'zip'));
defineBif('zlib', 'gzip', 1, (d) => oneShot(d, 'gzip'));

function oneShotInflate(data: Term, kind: 'uncompress' | 'unzip' | 'gunzip'): Term {
  const bytes = iodataBytes(data);
  if (kind === 'uncompress') {
    // uncompress/1 checks the size itself: less than a header and a checksum is no stream
    if (bytes === undefined) throw zerror('badarg', ['uncompress', 1]);
    if (bytes.length < 8) throw zerror('data_error', ['uncompress', 1]);
  }
  if (bytes === undefined) throw iovecError(data, ['inflate', 3], [kind, 1]);
  const wb = kind === 'uncompress' ? 15 : kind === 'unzip' ? -15 : 31;
  const e = inflateEngine(wb);
  const caller: Frame[] = [['dequeue_all_chunks_1', 3], ['inflate', 3], [kind, 1]];
  try {
    let r: { out: Uint8Array; left: number };
    try {
      r = e.write(bytes, FLUSH.none);
    } catch {
      throw zerror('data_error', ['inflate_nif', [node.makeRef(), 8192, 16384, 0]], ...caller);
    }
    if (r.left === 0 && !e.ended()) {
      throw zerror('data_error', ['inflateEnd_nif', [node.makeRef()]], ...(kind === 'uncompress' ? [] : [[kind, 1] as Frame]));
    }
    return new Bin(r.out);
  } finally {
    e.close();
  }
}

defineBif('zlib', 'uncompress', 1, (d) => oneShotInflate(d, 'uncompress'));
defineBif('zlib', 'unzip', 1, (d) => oneShotInflate(d, 'unzip'));
defineBif('zlib', 'gunzip', 1, (d) => oneShotInflate(d, 'gunzip'));
