// The distribution handshake between terl's initiator and terl's acceptor over loopback TCP,
// plus the byte-level details a peer relies on (framing switch, digests, status answers).

import { describe, it, expect } from 'vitest';
import type { Socket } from 'node:net';
import { socketPair } from '../helpers/socket_pair.js';
import { createHash } from 'node:crypto';
import {
  genDigest,
  handshakeOtherStarted,
  handshakeWeStarted,
  isAllowed,
  simultaneousConnect,
} from '../../runtime/distribution/handshake.js';
import type { AcceptorOptions, HandshakeResult, InitiatorOptions } from '../../runtime/distribution/handshake.js';
import { DFLAG, MANDATORY_OTP25, TERL_FLAGS, TERL_HIDDEN_FLAGS, flagNames, missingMandatory } from '../../runtime/distribution/flags.js';
import { FrameReader, frame2, frame4 } from '../../runtime/distribution/framing.js';


function initiator(socket: Socket, o: Partial<InitiatorOptions> = {}): Promise<HandshakeResult> {
  return handshakeWeStarted({
    socket,
    thisNode: 'a@host',
    otherNode: 'b@host',
    thisFlags: TERL_FLAGS,
    creation: 11,
    cookie: 'secret',
    setupTimeMs: 2000,
    ...o,
  });
}

function acceptor(socket: Socket, o: Partial<AcceptorOptions> = {}): Promise<HandshakeResult> {
  return handshakeOtherStarted({
    socket,
    thisNode: 'b@host',
    thisFlags: TERL_FLAGS,
    creation: 22,
    cookie: 'secret',
    setupTimeMs: 2000,
    ...o,
  });
}

describe('flags', () => {
  it('terl advertises what OTP 25 peers need: 0xD075F5FBD, hidden without PUBLISHED', () => {
    expect(TERL_FLAGS).toBe(0xd075f5fbdn);
    expect(TERL_HIDDEN_FLAGS).toBe(0xd075f5fbcn);
    expect(TERL_FLAGS & DFLAG.DIST_HDR_ATOM_CACHE).toBe(0n);
    expect(TERL_FLAGS & DFLAG.FRAGMENTS).toBe(0n);
    expect(MANDATORY_OTP25).toBe(0x1070f94n);
  });

  it('names missing mandatory flags highest first, as dist_util:check_mandatory does', () => {
    expect(missingMandatory(MANDATORY_OTP25)).toEqual([]);
    expect(missingMandatory(MANDATORY_OTP25 & ~(DFLAG.UTF8_ATOMS | DFLAG.FUN_TAGS))).toEqual(['UTF8_ATOMS', 'FUN_TAGS']);
    expect(flagNames(0x5n)).toEqual(['PUBLISHED', 'EXTENDED_REFERENCES']);
  });
});

describe('digests and names', () => {
  it('digest is MD5 of the cookie followed by the unsigned decimal challenge', () => {
    const d = genDigest(0xfffffffe, 'abc');
    expect(d!.equals(createHash('md5').update('abc4294967294').digest())).toBe(true);
  });

  it('simultaneous connect: the greater name keeps its own attempt', () => {
    expect(simultaneousConnect('zz@vm', 'srv@vm')).toBe('nok');
    expect(simultaneousConnect('js@vm', 'srv@vm')).toBe('ok_simultaneous');
  });

  it('net_kernel:allow/1 entries: node, host or name@', () => {
    expect(isAllowed('cli@vm', ['cli@vm'])).toBe(true);
    expect(isAllowed('cli@vm', ['vm'])).toBe(true);
    expect(isAllowed('cli@vm', ['cli@'])).toBe(true);
    expect(isAllowed('cli@vm', ['other@vm', 'x'])).toBe(false);
  });
});

describe('terl to terl', () => {
  it('completes: both learn the peer, its creation and the shared flags', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a, { thisFlags: TERL_HIDDEN_FLAGS }), acceptor(b)]);
    expect(ra.ok && rb.ok).toBe(true);
    if (!ra.ok || !rb.ok) return;
    expect(ra.otherNode).toBe('b@host');
    expect(rb.otherNode).toBe('a@host');
    expect(ra.otherCreation).toBe(22);
    expect(rb.otherCreation).toBe(11);
    expect(ra.flags).toBe(TERL_HIDDEN_FLAGS);
    expect(rb.flags).toBe(TERL_HIDDEN_FLAGS);
    expect(rb.otherFlags).toBe(TERL_HIDDEN_FLAGS);
  });

  it('after the handshake the socket carries 4-byte packets, nothing lost', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a), acceptor(b)]);
    if (!ra.ok || !rb.ok) throw new Error('handshake failed');
    const reader = new FrameReader(4);
    reader.push(rb.rest);
    const got: number[][] = [];
    const done = new Promise<void>((resolve) => {
      rb.socket.on('data', (d: Buffer) => {
        reader.push(d);
        for (let f = reader.next(); f; f = reader.next()) got.push([...f]);
        if (got.length === 2) resolve();
      });
    });
    rb.socket.resume();
    ra.socket.resume();
    ra.socket.write(frame4(Uint8Array.of(112, 1, 2)));
    ra.socket.write(frame4(new Uint8Array(0)));
    await done;
    expect(got).toEqual([[112, 1, 2], []]);
  });

  it('wrong cookie: the acceptor reports what OTP 25 logs, the initiator fails', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a, { cookie: 'wrong' }), acceptor(b)]);
    expect(rb).toMatchObject({
      ok: false,
      reason: 'bad_cookie',
      otherNode: 'a@host',
      report: '** Connection attempt from node a@host rejected. Invalid challenge reply. **',
    });
    expect(ra.ok).toBe(false);
    if (!ra.ok) expect(ra.reason).toBe('closed');
  });

  it('the acceptor uses the cookie set for the connecting node', async () => {
    const [a, b] = await socketPair();
    const cookies: Record<string, string> = { 'a@host': 'per-node' };
    const [ra, rb] = await Promise.all([
      initiator(a, { cookie: 'per-node' }),
      acceptor(b, { cookie: (n) => cookies[n] ?? 'secret' }),
    ]);
    expect(ra.ok && rb.ok).toBe(true);
  });

  it('disallowed node: not_allowed and the net_kernel:allow/1 report', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a), acceptor(b, { allowed: ['c@host'] })]);
    expect(ra).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(rb).toMatchObject({ ok: false, reason: 'not_allowed', report: '** Connection attempt from disallowed node a@host ** ' });
  });

  it('a peer without the mandatory flags is rejected with not_allowed', async () => {
    const [a, b] = await socketPair();
    const poor = TERL_FLAGS & ~(DFLAG.MANDATORY_25_DIGEST | DFLAG.MAP_TAG);
    const [ra, rb] = await Promise.all([initiator(a, { thisFlags: poor }), acceptor(b)]);
    expect(ra).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(rb).toMatchObject({
      ok: false,
      reason: 'missing_flags',
      report: '** b@host: Connection attempt from node a@host rejected since it cannot handle ["MAP_TAG"].**',
    });
  });

  it('MANDATORY_25_DIGEST alone stands for the mandatory flags', async () => {
    const [a, b] = await socketPair();
    const digestOnly = (TERL_FLAGS & ~MANDATORY_OTP25) | DFLAG.MANDATORY_25_DIGEST;
    const [ra, rb] = await Promise.all([initiator(a, { thisFlags: digestOnly }), acceptor(b)]);
    expect(ra.ok && rb.ok).toBe(true);
    if (rb.ok) expect(rb.otherFlags & MANDATORY_OTP25).toBe(MANDATORY_OTP25);
  });

  it('simultaneous connect lost: nok', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a), acceptor(b, { markPending: (n) => simultaneousConnect('b@host', n) })]);
    expect(ra).toMatchObject({ ok: false, reason: 'nok' });
    expect(rb).toMatchObject({ ok: false, reason: 'nok' });
  });

  it('simultaneous connect won: ok_simultaneous goes on', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([
      initiator(a, { thisNode: 'z@host' }),
      acceptor(b, { markPending: (n) => simultaneousConnect('b@host', n) }),
    ]);
    expect(ra.ok && rb.ok).toBe(true);
  });

  it('alive: the initiator takes over (true) and the acceptor waits for the old connection', async () => {
    const [a, b] = await socketPair();
    let waited = false;
    const [ra, rb] = await Promise.all([
      initiator(a, { isPending: () => true }),
      acceptor(b, {
        markPending: () => 'alive',
        waitPending: async () => {
          waited = true;
        },
      }),
    ]);
    expect(ra.ok && rb.ok && waited).toBe(true);
  });

  it('alive: the initiator gives up (false)', async () => {
    const [a, b] = await socketPair();
    const [ra, rb] = await Promise.all([initiator(a, { isPending: () => false }), acceptor(b, { markPending: () => 'alive' })]);
    expect(ra).toMatchObject({ ok: false, reason: 'alive' });
    expect(rb).toMatchObject({ ok: false, reason: 'alive' });
  });

  it('the challenge must come from the node we dialled', async () => {
    const [a, b] = await socketPair();
    const [ra] = await Promise.all([initiator(a, { otherNode: 'c@host' }), acceptor(b)]);
    expect(ra).toMatchObject({ ok: false, reason: 'bad_name', otherNode: 'b@host' });
  });

  it('a silent peer times out', async () => {
    const [a] = await socketPair();
    const ra = await initiator(a, { setupTimeMs: 200 });
    expect(ra).toMatchObject({ ok: false, reason: 'timeout' });
  });
});

describe('byte-level details', () => {
  it("data in the same TCP segment as 'a' is kept for the connection", async () => {
    const [a, b] = await socketPair();
    // a hand-written acceptor: reads N, answers sok and a challenge, then sends 'a' and a frame together
    const reader = new FrameReader(2);
    const next = (): Promise<Uint8Array> =>
      new Promise((resolve) => {
        const tryNext = (): void => {
          const f = reader.next();
          if (f) {
            b.removeListener('data', onData);
            resolve(f);
          }
        };
        const onData = (d: Buffer): void => {
          reader.push(d);
          tryNext();
        };
        b.on('data', onData);
        tryNext();
      });
    const run = (async () => {
      const name = await next();
      expect(name[0]).toBe(78);
      b.write(frame2(new TextEncoder().encode('sok')));
      const ch = new Uint8Array(1 + 8 + 4 + 4 + 2 + 6);
      const v = new DataView(ch.buffer);
      ch[0] = 78;
      v.setBigUint64(1, TERL_FLAGS);
      v.setUint32(9, 12345);
      v.setUint32(13, 77);
      v.setUint16(17, 6);
      ch.set(new TextEncoder().encode('b@host'), 19);
      b.write(frame2(ch));
      const reply = await next();
      expect(reply[0]).toBe(114);
      expect(Buffer.from(reply.subarray(5)).equals(genDigest(12345, 'secret')!)).toBe(true);
      const challengeB = new DataView(reply.buffer, reply.byteOffset).getUint32(1);
      const ack = Uint8Array.of(97, ...genDigest(challengeB, 'secret')!);
      b.write(Buffer.concat([frame2(ack), frame4(Uint8Array.of(112, 131, 104, 0)), frame4(new Uint8Array(0))]));
    })();
    const [ra] = await Promise.all([initiator(a), run]);
    if (!ra.ok) throw new Error('handshake failed: ' + ra.reason);
    const r4 = new FrameReader(4);
    r4.push(ra.rest);
    expect([...r4.next()!]).toEqual([112, 131, 104, 0]);
    expect([...r4.next()!]).toEqual([]);
  });

  it("an old version-5 'n' name message is refused", async () => {
    const [a, b] = await socketPair();
    const body = new Uint8Array(1 + 2 + 4 + 6);
    body[0] = 110;
    a.write(frame2(body));
    const rb = await acceptor(b);
    expect(rb).toMatchObject({ ok: false, reason: 'protocol' });
  });
});

describe('FrameReader', () => {
  it('reassembles frames split across reads; nextView() and next() give the same bytes, and a copy from next() keeps them', () => {
    const reader = new FrameReader(4);
    const wire = Buffer.concat([frame4(Uint8Array.of(112, 1, 2)), frame4(new Uint8Array(0)), frame4(Uint8Array.of(112, 3))]);
    // the first frame arrives in two reads
    reader.push(wire.subarray(0, 5));
    expect(reader.nextView()).toBeUndefined();
    reader.push(wire.subarray(5, 11));
    const view = reader.nextView()!;
    const copy = Uint8Array.from(view);
    expect([...view]).toEqual([112, 1, 2]);
    expect([...reader.next()!]).toEqual([]);
    reader.push(wire.subarray(11));
    const last = reader.next()!;
    expect([...last]).toEqual([112, 3]);
    expect([...copy]).toEqual([112, 1, 2]);
    expect(reader.next()).toBeUndefined();
    // a copy stays as it was when more bytes come
    reader.push(frame4(Uint8Array.of(9, 9, 9, 9, 9)));
    expect([...last]).toEqual([112, 3]);
  });
});
