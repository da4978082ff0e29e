// Length-prefixed packets, as inet's {packet, 2} and {packet, 4}: 2-byte lengths during the
// handshake, 4-byte lengths once it is done. A TCP read can hold several packets, or a part of
// one, or the end of the handshake and the first distribution frames: the reader keeps every
// byte it has not handed out, so switching header size never loses data.

export type HeaderSize = 2 | 4;

export class FrameTooLarge extends Error {
  constructor(size: number, max: number) {
    super(`packet of ${size} bytes exceeds the limit of ${max}`);
    this.name = 'FrameTooLarge';
  }
}

export class FrameReader {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;

  constructor(
    private header: HeaderSize,
    /** largest packet body accepted (a peer cannot make us buffer more than this for one packet) */
    private maxFrame = header === 2 ? 0xffff : 0x7fffffff,
  ) {}

  get headerSize(): HeaderSize {
    return this.header;
  }

  /** Bytes received and not yet returned as packets. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let size = Math.max(this.buf.length * 2, 1024);
        while (size < live + chunk.length) size *= 2;
        const b = new Uint8Array(size);
        b.set(this.buf.subarray(this.start, this.end));
        this.buf = b;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete packet body (an empty one for a tick), or undefined until more bytes arrive. */
  next(): Uint8Array | undefined {
    return this.packet(true);
  }

  /**
   * The same without a copy: a view of the reader's buffer, good only until the next push (a
   * connection decodes each frame at once, and copying every frame cost about as much as decoding it).
   */
  nextView(): Uint8Array | undefined {
    return this.packet(false);
  }

  private packet(copy: boolean): Uint8Array | undefined {
    const avail = this.end - this.start;
    if (avail < this.header) return undefined;
    const b = this.buf;
    const s = this.start;
    const len = this.header === 2 ? (b[s] << 8) | b[s + 1] : ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
    if (len > this.maxFrame) throw new FrameTooLarge(len, this.maxFrame);
    if (avail < this.header + len) return undefined;
    const body = copy ? b.slice(s + this.header, s + this.header + len) : b.subarray(s + this.header, s + this.header + len);
    this.start += this.header + len;
    if (this.start === this.end) this.start = this.end = 0;
    return body;
  }

  /** Switch to the other header size (after the handshake); bytes already buffered stay. */
  setHeaderSize(header: HeaderSize, maxFrame = header === 2 ? 0xffff : 0x7fffffff): void {
    this.header = header;
    this.maxFrame = maxFrame;
  }

  /** Hand out everything buffered and not yet read as packets (for whoever reads the socket next). */
  takeRest(): Uint8Array {
    const rest = this.buf.slice(this.start, this.end);
    this.start = this.end = 0;
    return rest;
  }
}

/** A packet with a 2-byte length (handshake messages). */
export function frame2(body: Uint8Array): Uint8Array {
  if (body.length > 0xffff) throw new FrameTooLarge(body.length, 0xffff);
  const out = new Uint8Array(2 + body.length);
  out[0] = body.length >> 8;
  out[1] = body.length & 0xff;
  out.set(body, 2);
  return out;
}

/** A packet with a 4-byte length (distribution frames; an empty body is a tick). */
export function frame4(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** The tick: a 4-byte packet of length zero. */
export const TICK = new Uint8Array(4);
