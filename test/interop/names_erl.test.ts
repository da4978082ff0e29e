// Node names as OTP resolves them, against real OTP 25: -name takes the domain of resolv.conf in
// $ERL_INET_ETC_DIR as erl does; -sname and -name nodes refuse each other with erl's words on
// whichever side tries; the cookie report quotes a node name where erl's ~w does.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, HOST, REPORT_HEADER, Shell, runTerlOnce, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/names_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

describe.skipIf(!HAVE_ERL)('node names between terl and erl', () => {
  let epmd: Epmd;
  beforeAll(async () => {
    epmd = await startEpmd('erl');
  });

  test("-name N takes resolv.conf's domain, as erl does", async () => {
    const etc = mkdtempSync(join(tmpdir(), 'terl-etc-'));
    writeFileSync(join(etc, 'resolv.conf'), 'domain example.test\nnameserver 127.0.0.1\n');
    const env = { ...process.env, ...epmd.env, ERL_INET_ETC_DIR: etc };
    const n = `ln${uniq()}`;
    const erl = execFileSync('erl', ['-name', `${n}e`, '-start_epmd', 'false', '-noshell', '-eval', 'io:format("~p~n", [node()]), halt().'], { env }).toString();
    expect(erl).toBe(`'${n}e@${HOST}.example.test'\n`);
    const terl = await runTerlOnce(['-name', `${n}t`, '-noshell', '-eval', 'io:format("~p~n", [node()]), halt().'], { ...epmd, env: { ...epmd.env, ERL_INET_ETC_DIR: etc } });
    expect(terl.out).toBe(`'${n}t@${HOST}.example.test'\n`);
  });

  test('-sname terl and -name erl refuse each other, each in its own words', async () => {
    const u = uniq();
    const LONG = `nl${u}@127.0.0.1`;
    const SHORT = `ns${u}@${HOST}`;
    const [e, t] = await Promise.all([
      startErlNode({ name: `nl${u}`, longName: LONG, cookie: 'names', epmd }),
      startTerlNode({ name: `ns${u}`, cookie: 'names', epmd }),
    ]);
    expect(await t.eval(`net_adm:ping('${LONG}').`)).toMatch(/(^|\n)pang$/);
    await t.waitFor('** System NOT running to use fully qualified hostnames **\n** Hostname 127.0.0.1 is illegal **\n\n');
    expect(t.out).toMatch(REPORT_HEADER);
    expect(await e.eval(`net_adm:ping('${SHORT}').`)).toMatch(/(^|\n)pang$/);
    await e.waitFor(`** System running to use fully qualified hostnames **\n** Hostname ${HOST} is illegal **`);
    expect(await t.eval('nodes().')).toBe('[]');
  });

  test('-name terl and -sname erl: the mirror', async () => {
    const u = uniq();
    const LONG = `ml${u}@127.0.0.1`;
    const SHORT = `ms${u}@${HOST}`;
    const [e, t] = await Promise.all([
      startErlNode({ name: `ms${u}`, cookie: 'names', epmd }),
      startTerlNode({ name: `ml${u}`, longName: LONG, cookie: 'names', epmd }),
    ]);
    expect(await t.eval(`net_adm:ping('${SHORT}').`)).toMatch(/(^|\n)pang$/);
    await t.waitFor(`** System running to use fully qualified hostnames **\n** Hostname ${HOST} is illegal **\n\n`);
    expect(await e.eval(`net_adm:ping('${LONG}').`)).toMatch(/(^|\n)pang$/);
    await e.waitFor('** System NOT running to use fully qualified hostnames **\n** Hostname 127.0.0.1 is illegal **');
    // two -name nodes are fine
    const e2: Shell = await startErlNode({ name: `mx${u}`, longName: `mx${u}@127.0.0.1`, cookie: 'names', epmd });
    expect(await t.eval(`net_adm:ping('mx${u}@127.0.0.1').`)).toBe('pong');
    expect(await e2.eval('nodes().')).toBe(`['${LONG}']`);
  });

  test("the cookie report quotes the node's name as erl does", async () => {
    const u = uniq();
    const [E, T] = [`ce${u}@127.0.0.1`, `ct${u}@127.0.0.1`];
    const [e, t] = await Promise.all([
      startErlNode({ name: `ce${u}`, longName: E, cookie: 'right', epmd }),
      startTerlNode({ name: `ct${u}`, longName: T, cookie: 'wrong', epmd }),
    ]);
    expect(await e.eval(`net_adm:ping('${T}').`)).toBe('pang');
    await t.waitFor(`** Connection attempt from node '${E}' rejected. Invalid challenge reply. **\n`);
    expect(await t.eval(`net_adm:ping('${E}').`)).toBe('pang');
    await e.waitFor(`** Connection attempt from node '${T}' rejected. Invalid challenge reply. **\n`);
  });
});
