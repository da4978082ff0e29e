// Issue 19, break 3: cookies compared exactly. A cookie that is not Latin-1 has no digest in OTP
// (erlang:md5/1 of its characters fails with badarg and the handshake process dies), so a node
// with -setcookie ŁŁŁŁŁŁ accepts nobody and reaches nobody; it never collides with AAAAAA, which
// a lossy Latin-1 encoding (Ł = U+0141 → byte 0x41) would make it.

import { afterAll, describe, expect, it } from 'vitest';
import { socketPair } from '../helpers/socket_pair.js';
import { genDigest, handshakeOtherStarted, handshakeWeStarted } from '../../runtime/distribution/handshake.js';
import type { HandshakeResult } from '../../runtime/distribution/handshake.js';
import { TERL_FLAGS } from '../../runtime/distribution/flags.js';
import { HOST, REPORT_HEADER, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';

afterAll(stopAll);

async function handshake(initiatorCookie: string, acceptorCookie: string): Promise<[HandshakeResult, HandshakeResult]> {
  const [a, b] = await socketPair();
  const common = { thisFlags: TERL_FLAGS, setupTimeMs: 2000 };
  return Promise.all([
    handshakeWeStarted({ ...common, socket: a, thisNode: 'a@host', otherNode: 'b@host', creation: 1, cookie: initiatorCookie }),
    handshakeOtherStarted({ ...common, socket: b, thisNode: 'b@host', creation: 2, cookie: acceptorCookie }),
  ]);
}

describe('a cookie that is not Latin-1', () => {
  it('has no digest', () => {
    expect(genDigest(1, 'ŁŁŁŁŁŁ')).toBeUndefined();
    expect(genDigest(1, 'ÿÿ')).toBeDefined();
  });

  it('ŁŁŁŁŁŁ never shakes hands with AAAAAA, either way round', async () => {
    const [ia, ib] = await handshake('AAAAAA', 'ŁŁŁŁŁŁ');
    expect(ia.ok).toBe(false);
    expect(ib.ok).toBe(false);
    // the acceptor died computing the digest of the reply it got
    expect(ib.ok === false && ib.crash).toMatchObject({ kind: 'cookie', step: 'recv_challenge_reply' });
    const [ja, jb] = await handshake('ŁŁŁŁŁŁ', 'AAAAAA');
    expect(ja.ok).toBe(false);
    expect(jb.ok).toBe(false);
    expect(ja.ok === false && ja.crash).toMatchObject({ kind: 'cookie', step: 'handshake_we_started' });
  });

  it('not even with itself, as in erl', async () => {
    const [ia, ib] = await handshake('ŁŁŁŁŁŁ', 'ŁŁŁŁŁŁ');
    expect(ia.ok || ib.ok).toBe(false);
  });
});

describe('two terl nodes', () => {
  it('ŁŁŁŁŁŁ and AAAAAA: pang, and the node with ŁŁŁŁŁŁ logs the crash erl logs', async () => {
    const epmd = await startEpmd('terl');
    const A = `cka${uniq()}`;
    const B = `ckb${uniq()}`;
    const [a, b] = await Promise.all([startTerlNode({ name: A, cookie: 'AAAAAA', epmd }), startTerlNode({ name: B, cookie: 'ŁŁŁŁŁŁ', epmd })]);
    expect(await b.eval('erlang:get_cookie().')).toBe("'\\x{141}\\x{141}\\x{141}\\x{141}\\x{141}\\x{141}'");
    expect(await a.eval(`net_adm:ping(${B}@${HOST}).`)).toBe('pang');
    const out = await b.waitFor('dist_util,handshake_other_started');
    const report = out.slice(out.search(REPORT_HEADER));
    expect(report.replace(REPORT_HEADER, 'HEADER').replace(/<0\.\d+\.0>/, '<PID>').replace(/(,\d\d)+\]\]/, ',DIGITS]]')).toContain(
      [
        'HEADER',
        `Error in process <PID> on node ${B}@${HOST} with exit value:`,
        '{badarg,[{erlang,md5,',
        '                 [[[321,321,321,321,321,321],DIGITS]],',
        '                 [{error_info,#{module => erl_erts_errors}}]},',
        '         {dist_util,gen_digest,2,[{file,"dist_util.erl"},{line,529}]},',
        '         {dist_util,recv_challenge_reply,3,',
        '                    [{file,"dist_util.erl"},{line,936}]},',
        '         {dist_util,handshake_other_started,1,',
        '                    [{file,"dist_util.erl"},{line,235}]}]}',
      ].join('\n'),
    );
    // and the node goes on
    expect(await b.eval('1 + 1.')).toBe('2');
    expect(await a.eval(`net_adm:ping(${B}@${HOST}).`)).toBe('pang');
  }, 60000);
});
