// terl's EPMD server and client talking to each other (in process, on a free loopback port).

import { describe, it, expect, afterEach } from 'vitest';
import { connect } from 'node:net';
import { startEpmdServer } from '../../runtime/distribution/epmd_server.js';
import type { EpmdServer } from '../../runtime/distribution/epmd_server.js';
import { EpmdError, epmdPort, localEpmdHost, names, portPlease, register } from '../../runtime/distribution/epmd_client.js';
import type { Registration } from '../../runtime/distribution/epmd_client.js';
import { alive2Req, killReq, parseAlive2Reply, stopReq } from '../../runtime/distribution/epmd_wire.js';

let server: EpmdServer | undefined;
const regs: Registration[] = [];

afterEach(async () => {
  for (const r of regs.splice(0)) r.close();
  await server?.close();
  server = undefined;
});

async function start(relaxed = false): Promise<EpmdServer> {
  server = await startEpmdServer({ port: 0, addresses: ['127.0.0.1'], relaxed });
  return server;
}

/** One raw request, everything EPMD answers until it closes. */
function raw(port: number, req: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(req));
    let got = Buffer.alloc(0);
    s.on('data', (d) => (got = Buffer.concat([got, d])));
    s.on('close', () => resolve(got.toString('latin1')));
    s.on('error', reject);
  });
}

const until = async (cond: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 100 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('environment', () => {
  it('ERL_EPMD_PORT and ERL_EPMD_ADDRESS', () => {
    expect(epmdPort({})).toBe(4369);
    expect(epmdPort({ ERL_EPMD_PORT: '14369' })).toBe(14369);
    expect(epmdPort({ ERL_EPMD_PORT: 'x' })).toBe(4369);
    expect(localEpmdHost({})).toBe('127.0.0.1');
    expect(localEpmdHost({ ERL_EPMD_ADDRESS: '10.1.2.3,127.0.0.2' })).toBe('127.0.0.2');
    expect(localEpmdHost({ ERL_EPMD_ADDRESS: '10.1.2.3' })).toBe('10.1.2.3');
  });
});

describe('terl EPMD server with terl client', () => {
  it('registers, answers PORT_PLEASE2 and NAMES, and frees the name when the socket closes', async () => {
    const s = await start();
    const r = await register('alpha', 40001, { port: s.port });
    regs.push(r);
    expect(r.creation).toBeGreaterThan(3);
    const e = await portPlease('alpha', '127.0.0.1', { port: s.port });
    expect(e).toMatchObject({ name: 'alpha', port: 40001, nodeType: 77, protocol: 0, highest: 6, lowest: 5 });
    expect(await portPlease('nobody', '127.0.0.1', { port: s.port })).toBeUndefined();
    expect((await names({ port: s.port })).nodes).toEqual([{ name: 'alpha', port: 40001 }]);
    r.close();
    await r.closed;
    await until(async () => (await names({ port: s.port })).nodes.length === 0);
    expect((await names({ port: s.port })).nodes).toEqual([]);
  });

  it('a taken name is refused, and free again once its owner goes', async () => {
    const s = await start();
    const r = await register('beta', 40002, { port: s.port });
    regs.push(r);
    await expect(register('beta', 40003, { port: s.port })).rejects.toMatchObject({ code: 'duplicate_name' });
    r.close();
    await until(async () => (await portPlease('beta', '127.0.0.1', { port: s.port })) === undefined);
    const again = await register('beta', 40004, { port: s.port });
    regs.push(again);
    expect(again.creation).not.toBe(r.creation);
  });

  it('a version 5 node gets ALIVE2_RESP with a 16-bit creation', async () => {
    const s = await start();
    const r = await register('old', 40005, { port: s.port, highest: 5 });
    regs.push(r);
    expect(r.creation).toBeGreaterThanOrEqual(1);
    expect(r.creation).toBeLessThanOrEqual(3);
  });

  it('requests split across TCP segments are reassembled', async () => {
    const s = await start();
    const req = alive2Req({ name: 'slow', port: 40006, nodeType: 77, protocol: 0, highest: 6, lowest: 5, extra: new Uint8Array(0) });
    const answer = await new Promise<Uint8Array>((resolve) => {
      const c = connect(s.port, '127.0.0.1', async () => {
        for (const b of req) {
          c.write(Uint8Array.of(b));
          await new Promise((r) => setTimeout(r, 2));
        }
      });
      c.on('data', (d) => {
        resolve(new Uint8Array(d));
        c.destroy();
      });
    });
    expect(parseAlive2Reply(answer)).toMatchObject({ result: 0, size: 6 });
  });

  it('KILL is refused while nodes live, and answered OK otherwise', async () => {
    let killed = false;
    server = await startEpmdServer({ port: 0, addresses: ['127.0.0.1'], onKill: () => (killed = true) });
    const r = await register('gamma', 40007, { port: server.port });
    regs.push(r);
    expect(await raw(server.port, killReq())).toBe('NO');
    r.close();
    await until(async () => server!.nodes().length === 0);
    expect(await raw(server.port, killReq())).toBe('OK');
    await until(async () => killed);
    expect(killed).toBe(true);
    await expect(names({ port: server.port, timeoutMs: 500 })).rejects.toBeInstanceOf(EpmdError);
  });

  it('STOP only when relaxed: STOPPED / NOEXIST', async () => {
    const strict = await start();
    const r = await register('delta', 40008, { port: strict.port });
    regs.push(r);
    expect(await raw(strict.port, stopReq('delta'))).toBe('');
    await strict.close();
    const s = await start(true);
    const r2 = await register('delta', 40008, { port: s.port });
    regs.push(r2);
    expect(await raw(s.port, stopReq('delta'))).toBe('STOPPED');
    await r2.closed;
    expect(await raw(s.port, stopReq('delta'))).toBe('NOEXIST');
  });
});
