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
