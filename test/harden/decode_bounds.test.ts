// Issue 19, break 1: bounded decoding of what comes from outside. A 60 KB zlib frame that inflates
// to 31M nested 1-tuples once took a node down from one unauthenticated lib_chan connection; the
// same from an authenticated distribution peer froze every connection, and bignums of 1 MB and
// 4 MB stalled them for seconds. Now: the inflated size is checked before inflating (pre-auth
// frames small, distribution frames bounded), nesting has a limit, big frames are decoded a slice
// at a time while the node serves others, and bignums are read and written in linear time.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtfError, decode, decodeControl, encode, encodeControl } from '../../runtime/vm/etf.js';
import { Pid, Tuple, atom, tuple } from '../../runtime/vm/term.js';
import { frame4 } from '../../runtime/distribution/framing.js';
import { runTerl, startTerl } from '../helpers/terl.js';
import { startLibChanServer } from '../helpers/lib_chan_server.js';
import { HOST, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd, Shell } from '../helpers/dist_nodes.js';
import { bignum, compressed, nestedTuples, nilList, plain } from './bombs.js';
import { dialHidden, openTcp } from './dist_raw.js';

afterAll(stopAll);

/** The 31M nested 1-tuples of the red-team pass: 60 KB compressed, 62 MB inflated. */
const TUPLE_BOMB = compressed(nestedTuples(31_000_000));
const NIL_BOMB = compressed(nilList(60_000_000));

describe('the decoder', () => {
  it('the bombs are small', () => {
    expect(TUPLE_BOMB.length).toBeLessThan(64 * 1024);
    expect(NIL_BOMB.length).toBeLessThan(64 * 1024);
  });

  it('refuses to inflate beyond maxSize, checking the claimed size first', () => {
    expect(() => decode(TUPLE_BOMB, { maxSize: 64 * 1024 })).toThrow(new EtfError('term larger than allowed'));
    expect(() => decode(NIL_BOMB, { maxSize: 64 * 1024 })).toThrow(new EtfError('term larger than allowed'));
  });

  it('refuses nesting beyond maxDepth, and decodes a million deep without recursion', () => {
    expect(() => decode(plain(nestedTuples(5000)), { maxDepth: 1000 })).toThrow(new EtfError('term nested deeper than allowed'));
    let t = decode(plain(nestedTuples(1_000_000))).term;
    let depth = 0;
    while (t instanceof Tuple) {
      t = t.elements[0];
      depth++;
    }
    expect(depth).toBe(1_000_000);
  });

  it('reads and writes 4 MB bignums exactly', () => {
    const { body, value } = bignum(4 * 1024 * 1024);
    const t = decode(plain(body)).term;
    expect(t === value).toBe(true);
    expect(Buffer.from(encode(t)).equals(Buffer.from(plain(body)))).toBe(true);
    expect(encode(-value)[6]).toBe(1);
    expect(decode(encode(-value)).term === -value).toBe(true);
  });
});

function lengthPrefixed(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, 4);
  return out;
}

describe('a lib_chan server sent bombs before authentication', () => {
  let port: number;
  let server: ReturnType<typeof startTerl>;

  beforeAll(async () => {
    ({ port, server } = await startLibChanServer());
  }, 30000);
  afterAll(() => server?.stop());

  it('closes the bomb connections and keeps serving clients', async () => {
    const bombers = await Promise.all([openTcp(port), openTcp(port)]);
    const closed = bombers.map((s) => new Promise<void>((r) => s.once('close', () => r())));
    bombers[0].write(lengthPrefixed(TUPLE_BOMB));
    bombers[1].write(lengthPrefixed(NIL_BOMB));
    // a client with the password gets its service meanwhile
    const r = await runTerl(
      [],
      [
        `{ok, Pid} = lib_chan:connect("localhost", ${port}, nameServer, "ABXy45", "").`,
        'lib_chan:cast(Pid, {store, joe, "writing a book"}).',
        'lib_chan:rpc(Pid, {lookup, joe}).',
      ].join('\n') + '\n',
      { timeoutMs: 30000 },
    );
    expect(r.stdout).toContain('{ok,"writing a book"}');
    await Promise.all(closed);
    server.send('io:format("still here~n").');
    await server.waitFor('still here');
  }, 60000);
});

describe('a distribution peer sending bombs', () => {
  let epmd: Epmd;
  let target: Shell;
  let friend: Shell;
  const T = `bombed${uniq()}`;
  const TN = `${T}@${HOST}`;
  // each test dials under its own name, so one test's report cannot stand in for the next one's
  const bomber = (): { ME: string; me: Pid } => {
    const ME = `bomber${uniq()}@${HOST}`;
    return { ME, me: new Pid(atom(ME), 1, 0, 7) };
  };

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [target, friend] = await Promise.all([
      startTerlNode({ name: T, cookie: 'bomb', epmd }),
      startTerlNode({ name: `friend${uniq()}`, cookie: 'bomb', epmd }),
    ]);
    expect(await friend.eval(`net_adm:ping(${TN}).`)).toBe('pong');
    // echo sends every {From, X} back to From
    expect(await target.eval('register(echo, spawn(fun Loop() -> receive {From, X} -> From ! X, Loop() end end)).')).toBe('true');
  });

  /** 112 | control | a payload given as bytes */
  function sendFrame(control: Tuple, payload: Uint8Array): Uint8Array {
    const c = encodeControl(control);
    const out = new Uint8Array(c.length + payload.length);
    out.set(c);
    out.set(payload, c.length);
    return frame4(out);
  }

  for (const [name, bomb] of [
    ['31M nested 1-tuples', TUPLE_BOMB],
    ['a list of 60M []', NIL_BOMB],
  ] as const) {
    it(`${name} in a message: its connection is closed, the node goes on`, async () => {
      const { ME, me } = bomber();
      const link = await dialHidden(epmd, T, ME, 'bomb');
      link.socket.write(sendFrame(tuple(6, me, atom(''), atom('echo')), bomb));
      // another node is served meanwhile
      expect(await friend.eval(`rpc:call(${TN}, lists, seq, [1, 3]).`)).toBe('[1,2,3]');
      await link.closed;
      const out = await target.waitFor(`** Got invalid data on distribution channel from ${ME}`);
      expect(out.slice(out.indexOf(ME))).toContain('** Connection closed **');
      expect(await target.eval('1 + 1.')).toBe('2');
    }, 60000);
  }

  for (const mb of [1, 4]) {
    it(`a ${mb} MB bignum goes there and back exactly`, async () => {
      const { ME, me } = bomber();
      const link = await dialHidden(epmd, T, ME, 'bomb');
      const { body, value } = bignum(mb * 1024 * 1024);
      // {Me, Big} to echo, which sends Big back to Me
      const pid = encode(me).subarray(1);
      const withPid = new Uint8Array(3 + pid.length + body.length);
      withPid.set([131, 104, 2]);
      withPid.set(pid, 3);
      withPid.set(body, 3 + pid.length);
      link.socket.write(sendFrame(tuple(6, me, atom(''), atom('echo')), withPid));
      expect(await friend.eval(`rpc:call(${TN}, erlang, node, []).`)).toBe(TN);
      while (link.frames.length === 0) await new Promise((r) => setTimeout(r, 20));
      const back = decodeControl(link.frames[0]);
      expect(back.payload === value).toBe(true);
      link.socket.destroy();
    }, 60000);
  }
});
