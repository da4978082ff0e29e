// lib_chan framing: 4-byte big-endian length prefixes, frames split and merged by TCP.

import { describe, it, expect } from 'vitest';
import { FrameReader, FrameTooLarge, frame, PRE_AUTH_MAX_FRAME } from '../runtime/lib_chan/wire.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// captured from real OTP 25: ack, then the next message `ping`, in one TCP read
const ACK_PING = hex('00 00 00 07 83 64 00 03 61 63 6b 00 00 00 08 83 64 00 04 70 69 6e 67');

describe('lib_chan frames', () => {
  it('prefixes a payload with its length', () => {
    expect(frame(hex('83 64 00 03 61 63 6b')).toString('hex')).toBe('00000007836400036163 6b'.replace(/ /g, ''));
    expect(frame(new Uint8Array(0)).toString('hex')).toBe('00000000');
  });

  it('splits two frames that came in one read', () => {
    const r = new FrameReader();
    const frames = r.push(ACK_PING);
    expect(frames.map((f) => f.toString('hex'))).toEqual(['836400036163 6b'.replace(/ /g, ''), '8364000470696e67']);
    expect(r.pending).toBe(0);
  });

  it('joins a frame that came byte by byte', () => {
    const r = new FrameReader();
    const got: string[] = [];
    for (const b of ACK_PING) got.push(...r.push(Uint8Array.of(b)).map((f) => f.toString('hex')));
    expect(got).toEqual(['8364000361636b', '8364000470696e67']);
  });

  it('keeps a partial frame for the next read', () => {
    const r = new FrameReader();
    expect(r.push(ACK_PING.subarray(0, 13))).toHaveLength(1);
    expect(r.pending).toBe(2);
    expect(r.push(ACK_PING.subarray(13)).map((f) => f.toString('hex'))).toEqual(['8364000470696e67']);
  });

  it('passes an empty frame through', () => {
    expect(new FrameReader().push(hex('00000000'))).toEqual([Buffer.alloc(0)]);
  });

  it('refuses an oversized frame from its header, before the body arrives', () => {
    const r = new FrameReader();
    expect(() => r.push(hex('7f ff ff ff'))).toThrow(FrameTooLarge);
    const big = Buffer.alloc(4);
    big.writeUInt32BE(PRE_AUTH_MAX_FRAME + 1);
    expect(() => new FrameReader().push(big)).toThrow(/exceeds the limit of 65536/);
    const ok = Buffer.alloc(4);
    ok.writeUInt32BE(PRE_AUTH_MAX_FRAME);
    expect(new FrameReader().push(ok)).toEqual([]);
  });

  it('takes larger frames once the limit is raised (after authentication)', () => {
    const r = new FrameReader();
    r.maxFrame = 1 << 20;
    const payload = Buffer.alloc(100_000, 7);
    const f = frame(payload);
    const got: Buffer[] = [];
    for (let i = 0; i < f.length; i += 1000) got.push(...r.push(f.subarray(i, i + 1000)));
    expect(got).toHaveLength(1);
    expect(got[0].equals(payload)).toBe(true);
  });
});
