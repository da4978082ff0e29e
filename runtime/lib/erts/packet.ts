// Bytes as they come from a socket or a pipe, cut into packets the way erl's drivers cut them
// ({packet, N} of inet and open_port, and erlang:decode_packet/3): a length header of 1, 2 or 4
// bytes (big-endian, not part of the packet), `line` (up to and with the delimiter), or `raw`
// (whatever is there).

/** The packet types terl's sockets and ports know. */
export type PacketType = 'raw' | 1 | 2 | 4 | 'line';

/** A packet longer than the limit (packet_size), or a 4-byte length erl's driver refuses. */
export class PacketTooLarge extends Error {
  constructor() {
    super('emsgsize');
  }
}

/** The largest packet a 4-byte header may announce (erl's driver counts in a signed int). */
const MAX_PACKET = 0x7fffffff - 4;

/** The length-header size of a packet type (0 for raw and line). */
export function headerSize(t: PacketType): number {
  return typeof t === 'number' ? t : 0;
}

/** A FIFO of bytes: chunks go in at the end, packets come out at the front. */
export class ByteQueue {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;

  get length(): number {
    return this.buf.length - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.start === this.buf.length) {
      this.buf = chunk;
      this.start = 0;
      return;
    }
    const rest = this.buf.length - this.start;
    const joined = new Uint8Array(rest + chunk.length);
    joined.set(this.buf.subarray(this.start), 0);
    joined.set(chunk, rest);
    this.buf = joined;
    this.start = 0;
  }

  /** The first n bytes, removed (a view: the queue never writes into bytes it handed out). */
  take(n: number): Uint8Array {
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    if (this.start === this.buf.length) {
      this.buf = new Uint8Array(0);
      this.start = 0;
    }
    return out;
  }

  takeAll(): Uint8Array {
    return this.take(this.length);
  }

  /** The byte at offset i from the front. */
  at(i: number): number {
    return this.buf[this.start + i];
  }

  /** The offset of the first `byte` from the front, at most `limit` bytes in, or -1. */
  indexOf(byte: number, limit: number): number {
    const end = Math.min(this.buf.length, this.start + limit);
    for (let i = this.start; i < end; i++) if (this.buf[i] === byte) return i - this.start;
    return -1;
  }

  clear(): void {
    this.buf = new Uint8Array(0);
    this.start = 0;
  }
}

export interface PacketOptions {
  type: PacketType;
  /** packet_size: the longest packet taken (0: no limit) */
  maxSize: number;
  /** for `line`: the delimiter byte, and the length at which a line without one is cut */
  delimiter: number;
  lineMax: number;
}

/**
 * The next whole packet at the front of q (removed, its header dropped), or undefined when more
 * bytes are needed. Raw takes everything there is. Throws PacketTooLarge for a header over the limit.
 */
export function nextPacket(q: ByteQueue, o: PacketOptions): Uint8Array | undefined {
  const have = q.length;
  if (have === 0) return undefined;
  switch (o.type) {
    case 'raw':
      return q.takeAll();
    case 'line': {
      const max = o.maxSize > 0 ? Math.min(o.maxSize, o.lineMax) : o.lineMax;
      const i = q.indexOf(o.delimiter, max);
      if (i >= 0) return q.take(i + 1);
      if (have >= max) return q.take(max);
      return undefined;
    }
    default: {
      const h = o.type;
      if (have < h) return undefined;
      let len = 0;
      for (let i = 0; i < h; i++) len = len * 256 + q.at(i);
      if ((o.maxSize > 0 && len > o.maxSize) || len > MAX_PACKET) throw new PacketTooLarge();
      if (have < h + len) return undefined;
      q.take(h);
      return q.take(len);
    }
  }
}

/**
 * The bytes to write for one packet: the length header first for {packet, 1 | 2 | 4}.
 * Undefined when the packet does not fit the header.
 */
export function framePacket(type: PacketType, data: Uint8Array): Uint8Array | undefined {
  if (typeof type !== 'number') return data;
  const n = data.length;
  if (n >= 2 ** (8 * type)) return undefined;
  const out = new Uint8Array(type + n);
  for (let i = type - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  out.set(data, type);
  return out;
}
