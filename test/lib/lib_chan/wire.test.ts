// lib_chan framing: 4-byte big-endian length prefixes, frames split and merged by TCP.

import { describe, it, expect } from 'vitest';
import { FrameReader, FrameTooLarge, frame, PRE_AUTH_MAX_FRAME } from '../../../runtime/lib/lib_chan/wire.js';
import { decodeStartService, decodeFrame, encodeFrame } from '../../../runtime/lib/lib_chan/wire.js';
import { atom, existingAtom, tuple, list, NIL, canonical } from '../../../runtime/vm/term.js';
import { decodeTerm } from '../../../runtime/vm/etf.js';

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

/** An atom in one of the four ETF encodings. */
function atomBytes(name: string, tag: 100 | 115 | 118 | 119): number[] {
  const b = [...Buffer.from(name, 'utf8')];
  return tag === 100 || tag === 118 ? [tag, 0, b.length, ...b] : [tag, b.length, ...b];
}
const startFrame = (tag: 100 | 115 | 118 | 119, service: string, arg: number[]) =>
  Uint8Array.from([131, 104, 3, ...atomBytes('startService', tag), ...atomBytes(service, tag), ...arg]);

describe('lib_chan first frame (startService) from a stranger', () => {
  it('writes terms as OTP 25 does (the captured startService frame)', () => {
    expect(Buffer.from(encodeFrame(tuple(atom('startService'), atom('nameServer'), NIL))).toString('hex')).toBe(
      '8368036400 0c7374617274536572766963656400 0a6e616d65536572766572 6a'.replace(/ /g, ''),
    );
  });

  it('reads atoms in all four encodings', () => {
    atom('lcw_known');
    for (const tag of [100, 115, 118, 119] as const) {
      const r = decodeStartService(startFrame(tag, 'lcw_known', [106]));
      expect(r.kind).toBe('start');
      if (r.kind === 'start') expect([r.service, r.argsC]).toEqual([atom('lcw_known'), NIL]);
    }
  });

  it('does not create the atom of an unknown service', () => {
    const r = decodeStartService(startFrame(100, 'lcw_never_heard_of', [106]));
    expect(r.kind).toBe('unknownService');
    expect(existingAtom('lcw_never_heard_of')).toBeUndefined();
  });

  it('keeps an ArgsC with unknown atoms as bytes, decoded later', () => {
    atom('lcw_svc');
    const r = decodeStartService(startFrame(119, 'lcw_svc', [104, 1, ...atomBytes('lcw_client_word', 119)]));
    expect(r.kind).toBe('startDeferred');
    expect(existingAtom('lcw_client_word')).toBeUndefined();
    if (r.kind !== 'startDeferred') return;
    expect(r.service).toBe(atom('lcw_svc'));
    expect(canonical(decodeTerm(r.argsC))).toBe(canonical(tuple(atom('lcw_client_word'))));
  });

  it('calls anything else a protocol violation', () => {
    expect(decodeStartService(Buffer.from('garbage')).kind).toBe('violation');
    expect(decodeStartService(encodeFrame(atom('hello'))).kind).toBe('violation');
    expect(decodeStartService(encodeFrame(tuple(atom('startService'), atom('x')))).kind).toBe('violation');
    expect(decodeStartService(Uint8Array.from([131, 104, 3, ...atomBytes('lcw_not_a_tag_atom', 100)])).kind).toBe('violation');
    expect(existingAtom('lcw_not_a_tag_atom')).toBeUndefined();
  });

  it('decodes compressed terms, refuses malformed ones', () => {
    // term_to_binary({startService, ok, lists:duplicate(200, 7)}, [compressed]) on real Erlang
    const compressed = Buffer.from('8350000000e1789ccb604e61e0292e492c2a094e2d2acb4c4e4d6160cacfce6638c13e4c0000097f0dc6', 'hex');
    const r = decodeStartService(compressed);
    expect(r.kind === 'start' && [r.service, canonical(r.argsC)]).toEqual([atom('ok'), canonical(list(new Array(200).fill(7)))]);
    expect(decodeFrame(Uint8Array.from([131, 104, 2, 97]), true)).toBeUndefined();
  });
});
