// A live terl node's distribution port fed random and mutated frames after a valid handshake: each
// bad frame costs only the connection it came on (which the node closes, with a report), and the
// node keeps serving its other connections and its shell.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { HOST, Shell, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { portPlease } from '../../runtime/distribution/epmd_client.js';
import { handshakeWeStarted } from '../../runtime/distribution/handshake.js';
import { TERL_HIDDEN_FLAGS } from '../../runtime/distribution/flags.js';
import { frame4 } from '../../runtime/distribution/framing.js';
import { encodeControl } from '../../runtime/vm/etf.js';
import { Pid, Ref, atom, tuple, list, charlist, binary } from '../../runtime/vm/term.js';

afterAll(stopAll);

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const FUZZ = `fuzz${uniq()}`;
const FUZZ_NODE = `${FUZZ}@${HOST}`;

interface Link {
  socket: Socket;
  closed: Promise<void>;
}

/**
 * A hidden connection to the node, handshake done: from here on 4-byte frames. A reply to an
 * earlier frame can make the node dial back to this made-up name; while it does, our attempt gets
 * `nok` (simultaneous connect, as OTP answers it) and is tried again once that dial has failed.
 */
async function dial(epmd: Epmd, alive: string): Promise<Link> {
  for (let attempt = 1; ; attempt++) {
    const entry = await portPlease(alive, '127.0.0.1', { env: { ...process.env, ...epmd.env } });
    if (entry === undefined) throw new Error(`${alive} is not registered`);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: entry.port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const r = await handshakeWeStarted({
      socket,
      thisNode: FUZZ_NODE,
      thisFlags: TERL_HIDDEN_FLAGS,
      creation: 7,
      cookie: 'fuzz',
      otherNode: `${alive}@${HOST}`,
    });
    if (r.ok) return opened(socket);
    socket.destroy();
    if (r.reason !== 'nok' || attempt === 20) throw new Error(`handshake failed: ${r.reason}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

function opened(socket: Socket): Link {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  socket.resume();
  return { socket, closed };
}

/** Valid frames this fuzzer mutates: harmless ones (unknown names and pids, monitors of nobody). */
function validFrames(target: string): Uint8Array[] {
  const me = new Pid(atom(FUZZ_NODE), 1, 0, 7);
  const nobody = new Pid(atom(`${target}@${HOST}`), 999999, 0, 1);
  const ref = new Ref(atom(FUZZ_NODE), [1, 2, 3], 7);
  return [
    encodeControl(tuple(6, me, atom(''), atom('no_such_name')), tuple(atom('hello'), list([1, 2, 3]))),
    encodeControl(tuple(22, me, nobody), charlist('a message')),
    encodeControl(tuple(19, me, atom('no_such_name'), ref)),
    encodeControl(tuple(20, me, atom('no_such_name'), ref)),
    encodeControl(tuple(2, atom(''), nobody), binary([1, 2, 3, 4, 5])),
    encodeControl(tuple(6, me, atom(''), atom('rex')), tuple(me, atom('features_request'))),
  ];
}

describe('fuzzing a distribution port', () => {
  let epmd: Epmd;
  let target: Shell;
  let friend: Shell;
  const T = `fuzzed${uniq()}`;
  const TN = `${T}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [target, friend] = await Promise.all([
      startTerlNode({ name: T, cookie: 'fuzz', epmd }),
      startTerlNode({ name: `friend${uniq()}`, cookie: 'fuzz', epmd }),
    ]);
    expect(await friend.eval(`net_adm:ping(${TN}).`)).toBe('pong');
  });

  test('valid but useless frames keep the connection', async () => {
    const link = await dial(epmd, T);
    for (const f of validFrames(T)) link.socket.write(frame4(f));
    // and ticks
    link.socket.write(new Uint8Array(4));
    const stillOpen = await Promise.race([link.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 500))]);
    expect(stillOpen).toBe(true);
    link.socket.destroy();
  });

  test('random and mutated frames close only their own connection', async () => {
    const random = rng(20261125);
    const valid = validFrames(T);
    let closedByNode = 0;
    for (let round = 0; round < 30; round++) {
      const link = await dial(epmd, T);
      for (let k = 0; k < 5; k++) {
        let body: Uint8Array;
        const kind = random();
        if (kind < 0.3) {
          // random bytes, sometimes starting like a pass-through frame
          body = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
          if (random() < 0.5) body[0] = 112;
        } else if (kind < 0.8) {
          // a valid frame with a few bytes changed, or cut short
          body = Uint8Array.from(valid[Math.floor(random() * valid.length)]);
          const flips = 1 + Math.floor(random() * 3);
          for (let i = 0; i < flips; i++) body[1 + Math.floor(random() * (body.length - 1))] = Math.floor(random() * 256);
          if (random() < 0.2) body = body.subarray(0, Math.max(1, Math.floor(random() * body.length)));
        } else {
          // an op nobody knows
          body = encodeControl(tuple(99, new Pid(atom(FUZZ_NODE), 1, 0, 7), atom('whatever')));
        }
        link.socket.write(frame4(body));
      }
      const closed = await Promise.race([link.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
      if (closed) closedByNode++;
      link.socket.destroy();
      // the node's other connection is untouched
      if (round % 10 === 9) expect(await friend.eval(`rpc:call(${TN}, erlang, node, []).`)).toBe(TN);
    }
    // most rounds contain something the node must refuse
    expect(closedByNode).toBeGreaterThan(15);
    expect(await friend.eval(`rpc:call(${TN}, lists, seq, [1, 3]).`)).toBe('[1,2,3]');
    expect(await friend.eval('nodes().')).toBe(`[${TN}]`);
    expect(await target.eval('1 + 1.')).toBe('2');
    // each refusal was reported, naming the connection's node
    expect(target.out).toContain(`** Got invalid data on distribution channel from ${FUZZ_NODE}: `);
  }, 60000);
});
