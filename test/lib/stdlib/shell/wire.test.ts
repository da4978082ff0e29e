// wire/0,1, terl's shell command that shows this node's distribution traffic decoded: two terl
// nodes on a port mapper of the test's own, the view on one, an rpc's messages and its reply read
// back as they print; and the lines and filters on their own.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, startEpmd, startTerlNode, stopAll, uniq, type Epmd, type Shell } from '../../../helpers/dist_nodes.js';
import { wireFilter, wireLine } from '../../../../runtime/lib/stdlib/shell/wire.js';
import { atom, list, tuple, NIL } from '../../../../runtime/vm/term.js';
import '../../../helpers/library.js';
import { PID, REF, esc, rejectedPing } from '../../../helpers/wire.js';

const id = uniq();
let epmd: Epmd;
let server: Shell;
let client: Shell;
const S = `wsrv_${id}@${HOST}`;
const C = `wcli_${id}@${HOST}`;

beforeAll(async () => {
  epmd = await startEpmd('terl');
  [server, client] = await Promise.all([
    startTerlNode({ name: `wsrv_${id}`, cookie: 'c', epmd }),
    startTerlNode({ name: `wcli_${id}`, cookie: 'c', epmd }),
  ]);
}, 60000);
afterAll(stopAll);


describe('wire() between two terl nodes', { timeout: 60000 }, () => {
  it('shows the port mapper, the handshake step by step, an rpc decoded both ways; wire(off) stops it', async () => {
    expect(await client.eval('wire().')).toBe('ok');
    // what OTP's rpc sends its rex server (terl's rpc:call, as OTP 25's, goes through erpc: below)
    const out = await client.eval(`gen_server:call({rex, '${S}'}, {call, erlang, node, [], group_leader()}).`);
    const lines = out.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${esc(C)} → epmd@${HOST}  PORT_PLEASE2_REQ wsrv_${id}  PORT2_RESP port \\d+$`)),
        `${C} → ${S}  send_name  ${C} version 6`,
        `${S} → ${C}  recv_status  ok`,
        expect.stringMatching(new RegExp(`^${esc(S)} → ${esc(C)}  recv_challenge  challenge \\d+$`)),
        expect.stringMatching(new RegExp(`^${esc(C)} → ${esc(S)}  send_challenge_reply  digest, challenge \\d+$`)),
        `${S} → ${C}  recv_challenge_ack  digest ok`,
        // the call to rex and its reply, as erl would write the terms
        expect.stringMatching(
          new RegExp(`^${esc(C)} → ${esc(S)}  REG_SEND rex  \\{'\\$gen_call',\\{${PID},\\[alias\\|${REF}\\]\\},\\{call,erlang,node,\\[\\],${PID}\\}\\}$`),
        ),
        expect.stringMatching(new RegExp(`^${esc(S)} → ${esc(C)}  (SEND|SEND_SENDER|ALIAS_SEND) (${PID}|${REF})  \\{\\[alias\\|${REF}\\],'?${esc(S)}'?\\}$`)),
      ]),
    );
    // the result comes after what the wire showed of it
    expect(lines.at(-1)).toBe(S);
    // ticks are hidden unless asked for
    expect(out).not.toContain('  tick');

    // rpc:call goes through erpc: a spawn request and the monitor's exit carry the call and its result
    const call = await client.eval(`rpc:call('${S}', erlang, node, []).`);
    expect(call).toMatch(new RegExp(`^${esc(C)} → ${esc(S)}  SPAWN_REQUEST ${REF} ${PID} ${PID} \\{erpc,execute_call,4\\} \\[monitor\\]  \\[${REF},erlang,node,\\[\\]\\]$`, 'm'));
    expect(call).toMatch(new RegExp(`^${esc(S)} → ${esc(C)}  PAYLOAD_MONITOR_P_EXIT ${PID} ${PID} ${REF}  \\{${REF},return,${esc(S)}\\}$`, 'm'));

    // the port mapper's list of names
    const names = await client.eval('net_adm:names().');
    expect(names).toMatch(new RegExp(`^${esc(C)} → epmd@127\\.0\\.0\\.1  NAMES_REQ  .*wsrv_${id} at port \\d+`, 'm'));

    expect(await client.eval('wire(off).')).toBe('ok');
    expect(await client.eval(`rpc:call('${S}', erlang, node, []).`)).toBe(S);
  });

  it('filters by kind: only the handshake, and where it failed when the cookies differ', async () => {
    expect(await server.eval('wire([{kind,handshake}]).')).toBe('ok');
    const out = await server.eval(`erlang:set_cookie('${C}', other), erlang:disconnect_node('${C}'), net_adm:ping('${C}').`);
    expect(out.split('\n')).toEqual(rejectedPing(S, C));
    expect(await server.eval('wire(off).')).toBe('ok');
  });
});

describe('wire lines and filters', () => {
  const all = wireFilter(undefined)!;
  const regSend = { kind: 'control' as const, peer: 'b@h', dir: 'out' as const, control: tuple(6, atom('x'), atom(''), atom('rex')), payload: tuple(atom('hi'), NIL) };
  it('writes control messages with sender, receiver, name and terms in erl syntax', () => {
    expect(wireLine(regSend, all, 'a@h')).toBe("a@h → b@h  REG_SEND rex  {hi,[]}");
    expect(wireLine({ ...regSend, dir: 'in' }, all, 'a@h')).toBe("b@h → a@h  REG_SEND rex  {hi,[]}");
  });
  it("shows a trace-token variant's seq_trace token after where the message goes", () => {
    const regSendTT = { ...regSend, control: tuple(16, atom('x'), atom(''), atom('rex'), tuple(3, 17, 1, atom('x'), 0)) };
    expect(wireLine(regSendTT, all, 'a@h')).toBe('a@h → b@h  REG_SEND_TT rex token {3,17,1,x,0}  {hi,[]}');
  });
  it('hides ticks unless asked; filters by node and by kind, control messages by name', () => {
    const tick = { kind: 'tick' as const, peer: 'b@h', dir: 'in' as const };
    expect(wireLine(tick, all, 'a@h')).toBeUndefined();
    expect(wireLine(tick, wireFilter(list([atom('ticks')]))!, 'a@h')).toBe('b@h → a@h  tick');
    expect(wireLine(regSend, wireFilter(list([tuple(atom('node'), atom('c@h'))]))!, 'a@h')).toBeUndefined();
    expect(wireLine(regSend, wireFilter(list([tuple(atom('node'), atom('b@h'))]))!, 'a@h')).toBeDefined();
    expect(wireLine(regSend, wireFilter(list([tuple(atom('kind'), atom('handshake'))]))!, 'a@h')).toBeUndefined();
    expect(wireLine(regSend, wireFilter(list([tuple(atom('kind'), atom('reg_send'))]))!, 'a@h')).toBeDefined();
    expect(wireFilter(list([atom('bogus')]))).toBeUndefined();
  });
});
