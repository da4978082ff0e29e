// A synchronous zlib stream on node's zlib binding. node:zlib offers streaming only asynchronously
// and its *Sync functions close the stream after one call, so this drives the binding's writeSync
// as those functions do, but keeps the stream open between calls: Erlang's zlib:deflate/inflate
// are synchronous calls on a long-lived stream. The output is zlib's own, byte for byte as erl's.

import {
  constants,
  createDeflate,
  createDeflateRaw,
  createGunzip,
  createGzip,
  createInflate,
  createInflateRaw,
  createUnzip,
} from 'node:zlib';
import { chargeElements } from '../../vm/scheduler.js';
import type { Deflate, DeflateRaw, Gunzip, Gzip, Inflate, InflateRaw, Unzip, ZlibOptions } from 'node:zlib';

// zlib's flush values (zlib.h), not read from node:zlib: the node loads node:zlib on first use
export const FLUSH = { none: 0, sync: 2, full: 3, finish: 4 } as const;

/** The parts of node's zlib object this relies on (present since node 10; the binding is stable). */
interface Binding {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  params(level: number, strategy: number): void;
  onerror: (message: string, errno: number) => void;
}
interface ZlibObject {
  _handle: Binding;
  _writeState: Uint32Array;
  close(): void;
}

export class ZlibError extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

const CHUNK = 16384;

export class Engine {
  private readonly z: ZlibObject;
  private readonly handle: Binding;
  private error: ZlibError | undefined;

  constructor(obj: Deflate | Inflate | DeflateRaw | InflateRaw | Gzip | Gunzip | Unzip) {
    this.z = obj as unknown as ZlibObject;
    this.handle = this.z._handle;
    this.handle.onerror = (message, errno) => {
      this.error = new ZlibError(message, errno);
    };
  }

  /**
   * Feed input with a flush mode; the output produced, and how much input was left unconsumed
   * (input is left over when the stream ended before it).
   */
  write(input: Uint8Array, flush: number): { out: Uint8Array; left: number } {
    const outs: Uint8Array[] = [];
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      this.error = undefined;
      this.handle.writeSync(flush, input, inOff, inLen, buf, 0, CHUNK);
      if (this.error) throw this.error;
      const [availOut, availIn] = this.z._writeState;
      if (availOut < CHUNK) outs.push(buf.subarray(0, CHUNK - availOut));
      inOff += inLen - availIn;
      inLen = availIn;
      if (availOut !== 0) break;
    }
    const out = outs.length === 1 ? outs[0] : Buffer.concat(outs);
    // the caller pays for the bytes in and out, each as an element: (de)compressing a byte costs
    // as much as a list cell walked, and a long input is done in this one native step
    chargeElements(input.length - inLen + out.length);
    return { out, left: inLen };
  }

  /** Has an inflate stream reached its end? (asking to finish with no input fails unless it has) */
  ended(): boolean {
    try {
      this.write(new Uint8Array(0), constants.Z_FINISH);
      return true;
    } catch {
      return false;
    }
  }

  params(level: number, strategy: number): void {
    this.handle.params(level, strategy);
  }

  close(): void {
    this.z.close();
  }
}

export interface DeflateParams {
  level: number;
  windowBits: number;
  memLevel: number;
  strategy: number;
  dictionary?: Uint8Array;
}

/** A deflate engine for windowBits as zlib takes them: 8..15 zlib, -15..-8 raw, 24..31 gzip. */
export function deflateEngine(p: DeflateParams): Engine {
  const opts: ZlibOptions = { level: p.level, memLevel: p.memLevel, strategy: p.strategy, windowBits: Math.abs(p.windowBits) % 16 };
  if (p.dictionary) opts.dictionary = p.dictionary;
  if (p.windowBits < 0) return new Engine(createDeflateRaw(opts));
  if (p.windowBits > 15) return new Engine(createGzip(opts));
  return new Engine(createDeflate(opts));
}

/**
 * An inflate engine: 8..15 zlib, -15..-8 raw, 24..31 gzip, 40..47 zlib or gzip by the header.
 * (node's gzip mode goes on to a next gzip member by itself, as erl's gunzip/1 does.)
 */
export function inflateEngine(windowBits: number, dictionary?: Uint8Array): Engine {
  const opts: ZlibOptions = { windowBits: Math.abs(windowBits) % 16 };
  if (dictionary) opts.dictionary = dictionary;
  if (windowBits < 0) return new Engine(createInflateRaw(opts));
  if (windowBits >= 40) return new Engine(createUnzip(opts));
  if (windowBits > 15) return new Engine(createGunzip(opts));
  return new Engine(createInflate(opts));
}
