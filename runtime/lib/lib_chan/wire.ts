// lib_chan's framing: every message is one {packet, 4} frame,
//
//   +----------------------+----------------------------------+
//   | N: uint32 big-endian | N bytes: term_to_binary(Term)    |
//   +----------------------+----------------------------------+
//
// TCP may split a frame across reads or put several frames in one read, so a FrameReader
// gathers bytes and hands out whole frames. Until the peer has authenticated, frames are
// small (a handshake term is a few dozen bytes) and decoded in safe mode: a stranger must not
// be able to make this node create atoms or buffer megabytes.

import { decode, encode, EtfError, VERSION_MAGIC, Tag, decodeInSteps } from '../../vm/etf.js';
import { Term, Tuple, atom } from '../../vm/term.js';
import type { DecodeOptions } from '../../vm/etf.js';

/** The largest frame accepted before authentication (the book's handshake frames are < 100 bytes). */
export const PRE_AUTH_MAX_FRAME = 64 * 1024;
/** The largest frame accepted on an open channel. */
export const MAX_FRAME = 64 * 1024 * 1024;

/** Prefix a payload with its 4-byte big-endian length. */
export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, 4);
  return out;
}

export class FrameTooLarge extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`frame of ${size} bytes exceeds the limit of ${limit}`);
  }
}

/** Turns a stream of chunks into whole frames. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(public maxFrame: number = PRE_AUTH_MAX_FRAME) {}

  /**
   * Add a chunk and return every frame now complete, in order.
   * Throws FrameTooLarge as soon as a header announces more than maxFrame bytes,
   * so an oversized frame is refused before its body is buffered.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const size = this.peekLength();
      if (size > this.maxFrame) throw new FrameTooLarge(size, this.maxFrame);
      if (this.buffered < 4 + size) break;
      const all = this.take(4 + size);
      frames.push(all.subarray(4));
    }
    return frames;
  }

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readUInt32BE(0);
    this.coalesce();
    return this.chunks[0].readUInt32BE(0);
  }

  private coalesce(): void {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }

  private take(n: number): Buffer {
    if (this.chunks[0].length < n) this.coalesce();
    const first = this.chunks[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return out;
  }
}

// ---------- terms in frames ----------

/** term_to_binary as OTP 25 writes it (ATOM_EXT for Latin-1 atoms), so the bytes match the book's peers. */
export function encodeFrame(t: Term): Uint8Array {
  return encode(t);
}

/**
 * What a frame may decode to. Before authentication (safe): no new atoms, and no more than the
 * pre-auth frame size once inflated, so a 60 KB zlib bomb is refused before it is inflated; after
 * it: a compressed term inflates to at most MAX_FRAME, and nothing is nested deeper than a million.
 */
function limits(bytes: Uint8Array, safe: boolean): DecodeOptions {
  if (safe) return { safe, maxSize: PRE_AUTH_MAX_FRAME, maxDepth: PRE_AUTH_MAX_DEPTH };
  return { maxSize: Math.max(bytes.length, MAX_FRAME), maxDepth: MAX_DEPTH };
}

/** Nesting a handshake term may have (the book's are flat tuples of strings). */
const PRE_AUTH_MAX_DEPTH = 64;
const MAX_DEPTH = 1_000_000;
/** Terms decoded per slice on an open channel (a process yields between slices). */
const SLICE_TERMS = 20_000;

/**
 * binary_to_term of one frame; undefined when it is not a term (or, in safe mode, would create
 * an atom this node does not know). Any of the four atom encodings is accepted, and compressed terms.
 */
export function decodeFrame(bytes: Uint8Array, safe: boolean): Term | undefined {
  try {
    return decode(bytes, limits(bytes, safe)).term;
  } catch (e) {
    if (e instanceof EtfError) return undefined;
    throw e;
  }
}

/** The same on an open channel, from a process: it yields between slices, so a big frame holds up no one. */
export function* decodeChannelFrame(bytes: Uint8Array): Generator<unknown, Term | undefined, unknown> {
  try {
    return (yield* decodeInSteps(bytes, limits(bytes, false), SLICE_TERMS)).term;
  } catch (e) {
    if (e instanceof EtfError) return undefined;
    throw e;
  }
}

const START_SERVICE = atom('startService');

/** What a stranger's first frame asked for. */
export type StartService =
  | { kind: 'start'; service: Term; argsC: Term }
  /** ArgsC holds atoms this node does not know: kept as ETF, decoded only once the client is trusted */
  | { kind: 'startDeferred'; service: Term; argsC: Uint8Array }
  /** a service name this node has never heard of (so no service has it) */
  | { kind: 'unknownService' }
  | { kind: 'violation' };

/**
 * Decode {startService, Service, ArgsC} from a client that has not authenticated yet, creating no
 * atoms. When only ArgsC has unknown atoms (a client passing its own vocabulary to the service),
 * its bytes are set aside, to be decoded after authentication.
 */
export function decodeStartService(bytes: Uint8Array): StartService {
  const whole = decodeFrame(bytes, true);
  if (whole !== undefined) {
    if (whole instanceof Tuple && whole.size === 3 && whole.elements[0] === START_SERVICE)
      return { kind: 'start', service: whole.elements[1], argsC: whole.elements[2] };
    return { kind: 'violation' };
  }
  // 131, SMALL_TUPLE_EXT, arity 3, then the elements one after another
  if (bytes.length < 3 || bytes[0] !== VERSION_MAGIC || bytes[1] !== Tag.SMALL_TUPLE || bytes[2] !== 3) return { kind: 'violation' };
  const tag = decodeElement(bytes, 3);
  if (tag === undefined || tag.term !== START_SERVICE) return { kind: 'violation' };
  const service = decodeElement(bytes, tag.next);
  if (service === undefined) return { kind: 'unknownService' };
  return { kind: 'startDeferred', service: service.term, argsC: withMagic(bytes, service.next) };
}

/** Safely decode the term starting at `pos`; its value and where the next one starts. */
function decodeElement(bytes: Uint8Array, pos: number): { term: Term; next: number } | undefined {
  try {
    const d = decode(withMagic(bytes, pos), limits(bytes, true));
    return { term: d.term, next: pos + d.used - 1 };
  } catch (e) {
    if (e instanceof EtfError) return undefined;
    throw e;
  }
}

function withMagic(bytes: Uint8Array, pos: number): Uint8Array {
  const out = new Uint8Array(1 + bytes.length - pos);
  out[0] = VERSION_MAGIC;
  out.set(bytes.subarray(pos), 1);
  return out;
}
