// terl's EPMD against real Erlang/OTP: real erl nodes and the real `epmd` client use terl's EPMD
// daemon, and terl's EPMD client works with a real epmd. Each test has its own ERL_EPMD_PORT.

import { describe, it, expect, afterAll } from 'vitest';
import { epmdAnswers, names, portPlease, register } from '../../runtime/distribution/epmd_client.js';
import { HOST, epmdCli, freePort, haveErl, startErl, startRealEpmd, startTerlEpmd, stopAll } from '../interop/dist_peer.js';

afterAll(async () => {
  await stopAll();
});

const until = async (cond: () => boolean | Promise<boolean>, ms = 10000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!haveErl)("real OTP with terl's EPMD daemon", () => {
  it('erl registers with it, `epmd -names` lists it, `epmd -kill` stops it', async () => {
    const port = await freePort();
    const daemon = await startTerlEpmd(port);
    await until(() => epmdAnswers({ port, timeoutMs: 200 }));

    const erl = startErl({ sname: 'a', cookie: 'abc', epmdPort: port, eval: 'io:format("up ~p~n", [node()]), receive after infinity -> ok end.' });
    await erl.waitFor(`up a@${HOST}`);
    const listed = epmdCli(port, '-names');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^epmd: up and running on port ${port} with data:\nname a at port \\d+\n$`));
    const dist = await portPlease('a', '127.0.0.1', { port });
    expect(dist).toMatchObject({ name: 'a', nodeType: 77, highest: 6, lowest: 5 });
    expect(listed.stdout).toContain(`name a at port ${dist!.port}`);

    // like epmd, no kill while a node is registered
    const refused = epmdCli(port, '-kill');
    expect(refused.stdout + refused.stderr).toContain('Killing not allowed - living nodes in database.');
    expect(daemon.child.exitCode).toBe(null);

    await erl.stop();
    await until(async () => (await names({ port })).nodes.length === 0);
    const killed = epmdCli(port, '-kill');
    expect(killed.stdout.trim()).toBe('Killed');
    expect(await daemon.exited).toBe(0);
    expect(await epmdAnswers({ port, timeoutMs: 500 })).toBe(false);
  });

  it("net_adm:names() in erl reads terl's NAMES answer; a taken name stops a second erl", async () => {
    const port = await freePort();
    const daemon = await startTerlEpmd(port);
    await until(() => epmdAnswers({ port, timeoutMs: 200 }));
    const reg = await register('tsnode', 45678, { port });
    const erl = startErl({ sname: 'b', cookie: 'abc', epmdPort: port, eval: 'io:format("names ~p~n", [lists:sort(element(2, net_adm:names()))]), receive after infinity -> ok end.' });
    const out = await erl.waitFor(/names .*\n/);
    expect(out).toMatch(/names \[\{"b",\d+\},\{"tsnode",45678\}\]/);
    // the same name again: erl gives up starting distribution
    const dup = startErl({ sname: 'b', cookie: 'abc', epmdPort: port, eval: 'halt().' });
    await dup.exited;
    expect(dup.output()).toContain(`Protocol 'inet_tcp': the name b@${HOST} seems to be in use by another Erlang node`);
    await erl.stop();
    reg.close();
    await until(async () => (await names({ port })).nodes.length === 0);
    expect(epmdCli(port, '-kill').stdout.trim()).toBe('Killed');
    expect(await daemon.exited).toBe(0);
  });
});

describe.skipIf(!haveErl)("terl's EPMD client with the real epmd", () => {
  it('registers; erl sees it in net_adm:names(); it finds erl with PORT_PLEASE2; closing unregisters', async () => {
    const port = await freePort();
    const epmd = startRealEpmd(port);
    await until(() => epmdAnswers({ port, timeoutMs: 200 }));
    const reg = await register('terlnode', 45679, { port });
    expect(reg.creation).toBeGreaterThan(0);

    const erl = startErl({
      sname: 'c',
      cookie: 'abc',
      epmdPort: port,
      eval: 'io:format("names ~p~n", [lists:sort(element(2, net_adm:names()))]), receive after infinity -> ok end.',
    });
    const out = await erl.waitFor(/names .*\n/);
    expect(out).toMatch(/names \[\{"c",\d+\},\{"terlnode",45679\}\]/);

    const c = await portPlease('c', '127.0.0.1', { port });
    expect(c).toMatchObject({ name: 'c', nodeType: 77, protocol: 0, highest: 6, lowest: 5 });
    expect(epmdCli(port, '-names').stdout).toContain(`name c at port ${c!.port}`);
    expect(epmdCli(port, '-names').stdout).toContain('name terlnode at port 45679');

    // a taken name is refused by the real epmd too
    await expect(register('terlnode', 45680, { port })).rejects.toMatchObject({ code: 'duplicate_name' });

    reg.close();
    await until(() => !epmdCli(port, '-names').stdout.includes('terlnode'));
    expect((await names({ port })).nodes.map((n) => n.name)).toEqual(['c']);
    await erl.stop();
    await epmd.stop();
  });
});
