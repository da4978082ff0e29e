// Issue 19, break 8: terl's port mapper took names real epmd refuses (empty, not UTF-8, with a
// NUL, 65,000 bytes). Each case is sent to terl's port mapper and, where it is installed, to real
// epmd on a private port: both must answer alike (or hang up alike). The expected outcomes are
// what epmd of OTP 25 did (a newline in a name it accepts, and so does terl).

import { afterAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { startEpmd, stopAll } from '../helpers/dist_nodes.js';

afterAll(stopAll);

const HAVE_EPMD = spawnSync('epmd', ['-help'], { stdio: 'ignore' }).error === undefined;

function alive2(name: Uint8Array, highest = 6): Buffer {
  const body = Buffer.alloc(1 + 10 + name.length + 2);
  let o = 0;
  body[o++] = 120;
  body.writeUInt16BE(5555, o);
  o += 2;
  body[o++] = 77;
  body[o++] = 0;
  body.writeUInt16BE(highest, o);
  o += 2;
  body.writeUInt16BE(5, o);
  o += 2;
  body.writeUInt16BE(name.length, o);
  o += 2;
  Buffer.from(name).copy(body, o);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

function portPlease(name: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from([122]), Buffer.from(name)]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

/** What the port mapper does with one request: its answer (creations masked), and whether it hung up. */
function ask(port: number, request: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (how: string): void => {
      if (done) return;
      done = true;
      const b = Buffer.concat(chunks);
      // a registration's creation is random (epmd's counts): masked
      const shown = b.length === 6 && b[0] === 118 && b[1] === 0 ? '[118,0,C]' : JSON.stringify([...b]);
      s.destroy();
      resolve(`${shown} ${how}`);
    };
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => finish('closed'));
    s.on('close', () => finish('closed'));
    s.on('connect', () => s.write(request));
    // an answered registration stays open (the node keeps it)
    setTimeout(() => finish(chunks.length > 0 ? 'open' : 'silent'), 400);
  });
}

const CASES: [string, Buffer, string][] = [
  ['ALIVE2 empty name', alive2(new Uint8Array(0)), '[] closed'],
  ['ALIVE2 not UTF-8', alive2(Uint8Array.of(0xff, 0xfe, 0x41)), '[118,1,0,0,0,99] open'],
  ['ALIVE2 not UTF-8, a version 5 node', alive2(Uint8Array.of(0xc3, 0x28), 5), '[121,1,0,99] open'],
  ['ALIVE2 with a NUL', alive2(Buffer.from('ab\0cd')), '[] closed'],
  ['ALIVE2 of 65,000 bytes', alive2(Buffer.alloc(64980, 97)), '[] closed'],
  ['ALIVE2 of 256 characters', alive2(Buffer.alloc(256, 99)), '[118,1,0,0,0,99] open'],
  ['ALIVE2 of 3041 bytes', alive2(Buffer.alloc(3041, 100)), '[118,1,0,0,0,99] open'],
  ['ALIVE2 of 255 characters', alive2(Buffer.alloc(255, 98)), '[118,0,C] open'],
  ['ALIVE2 of 200 two-byte characters', alive2(Buffer.from('é'.repeat(200))), '[118,0,C] open'],
  ['ALIVE2 with a newline', alive2(Buffer.from('evil\nname fake at port 1')), '[118,0,C] open'],
  ['PORT_PLEASE2 empty name', portPlease(new Uint8Array(0)), '[] closed'],
  ['PORT_PLEASE2 with a NUL', portPlease(Buffer.from('a\0')), '[119,1] closed'],
  ['PORT_PLEASE2 of 300 characters', portPlease(Buffer.alloc(300, 97)), '[] closed'],
  ['PORT_PLEASE2 not UTF-8', portPlease(Uint8Array.of(0xff)), '[] closed'],
  ['PORT_PLEASE2 of a name nobody has', portPlease(Buffer.from('nobody')), '[119,1] closed'],
];

async function outcomes(kind: 'terl' | 'erl'): Promise<Record<string, string>> {
  const epmd = await startEpmd(kind);
  const out: Record<string, string> = {};
  for (const [what, request] of CASES) out[what] = await ask(epmd.port, request);
  return out;
}

const EXPECTED = Object.fromEntries(CASES.map(([what, , want]) => [what, want]));

describe('names at the port mapper', () => {
  it("terl's answers as epmd's (recorded from OTP 25's epmd)", async () => {
    expect(await outcomes('terl')).toEqual(EXPECTED);
  }, 30000);

  it.skipIf(!HAVE_EPMD)('real epmd still answers so', async () => {
    expect(await outcomes('erl')).toEqual(EXPECTED);
  }, 30000);
});
