// A lib_chan client written in Erlang on gen_tcp (examples/chan_client.erl, following the wire
// protocol of ../shared/reference/lib_chan-protocol.md) running on a terl node and talking to the
// lib_chan server built into another terl node, as the book's own client code would: the book's
// session, the refusals, a service without password, and the server closing the channel.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/terl.js';
import { freePort, startEpmd, startTerlNode, stopAll, uniq, type Shell } from '../helpers/dist_nodes.js';

const EXAMPLES = join(ROOT, 'examples');

describe('chan_client (gen_tcp) on a terl node against terl\'s lib_chan server', () => {
  let server: Shell;
  let client: Shell;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'chan_client-'));
    for (const f of ['kvs.erl', 'mod_name_server.erl']) copyFileSync(join(EXAMPLES, f), join(dir, f));
    writeFileSync(
      join(dir, 'lib_chan.conf'),
      `{port, ${port}}.\n` +
        `{service, nameServer, password, "ABXy45", mfa, mod_name_server, start_me_up, notUsed}.\n` +
        `{service, open, password, none, mfa, mod_name_server, start_me_up, notUsed}.\n`,
    );
    const epmd = await startEpmd('terl');
    [server, client] = await Promise.all([
      startTerlNode({ name: `chan_s_${uniq()}`, epmd, cwd: dir }),
      startTerlNode({ name: `chan_c_${uniq()}`, epmd }),
    ]);
    expect(await server.eval('kvs:start().')).toBe('true');
    expect(await server.eval('lib_chan:start_server("lib_chan.conf").')).toMatch(/ConfigData=[\s\S]*\ntrue$/);
    expect(await client.eval(`c("${join(EXAMPLES, 'chan_client.erl')}").`)).toBe('{ok,chan_client}');
  }, 60000);
  afterAll(() => stopAll());

  it('runs the book session: connect, cast, rpc, disconnect', async () => {
    expect(await client.eval(`{ok, Chan} = chan_client:connect("localhost", ${port}, nameServer, "ABXy45", "").`)).toMatch(/^\{ok,<0\.\d+\.0>\}$/);
    expect(await client.eval('chan_client:cast(Chan, {store, joe, "writing a book"}).')).toBe('{send,{store,joe,"writing a book"}}');
    expect(await client.eval('chan_client:rpc(Chan, {lookup, joe}).')).toBe('{ok,"writing a book"}');
    expect(await client.eval('chan_client:rpc(Chan, {lookup, jim}).')).toBe('undefined');
    expect(await client.eval('chan_client:disconnect(Chan).')).toBe('close');
  });

  it('gets the server\'s refusals as errors', async () => {
    expect(await client.eval(`chan_client:connect("localhost", ${port}, nameServer, "wrong", "").`)).toBe('{error,authFail}');
    expect(await client.eval(`chan_client:connect("localhost", ${port}, noSuchService, "x", "").`)).toBe('{error,badService}');
    expect(await client.eval(`chan_client:connect("localhost", ${port}, "nameServer", "ABXy45", "").`)).toBe('{error,badService}');
    const refused = await freePort();
    expect(await client.eval(`chan_client:connect("localhost", ${refused}, nameServer, "x", "").`)).toBe('{error,econnrefused}');
  });

  it('connects to a service without password, whatever the secret', async () => {
    expect(await client.eval(`{ok, Open} = chan_client:connect({127, 0, 0, 1}, ${port}, open, "anything", ""), chan_client:rpc(Open, {lookup, joe}).`)).toBe('{ok,"writing a book"}');
  });

  it('tells the caller {chan_closed, Chan} when the server side goes, and closes its socket', async () => {
    expect(await client.eval(`{ok, C2} = chan_client:connect("localhost", ${port}, open, "", ""), ok.`)).toBe('ok');
    // the service's middle man on the server is the process whose peer is this client's socket
    expect(await server.eval('[exit(P, kill) || P <- processes(), {current_function, {mod_name_server, _, _}} <- [process_info(P, current_function)]], ok.')).toBe('ok');
    expect(await client.eval('receive {chan_closed, C2} -> closed after 5000 -> timeout end.')).toBe('closed');
    expect(await client.eval('timer:sleep(100), is_process_alive(C2).')).toBe('false');
    expect(await client.eval('[P || P <- erlang:ports(), element(2, erlang:port_info(P, name)) =:= "tcp_inet"].')).toBe('[]');
  });
});
