// A terl node serving the book's lib_chan example (examples/: kvs, mod_name_server as the service
// nameServer, password "ABXy45") on a port of the test's choosing.

import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startTerl } from './terl.js';
import { freePort } from './dist_nodes.js';

/** A scratch copy of examples/ whose lib_chan.conf names `port`. */
export function libChanDir(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'lib_chan-'));
  for (const f of ['kvs.erl', 'mod_name_server.erl']) copyFileSync(join(ROOT, 'examples', f), join(dir, f));
  writeFileSync(join(dir, 'lib_chan.conf'), `{port, ${port}}.\n{service, nameServer, password, "ABXy45", mfa, mod_name_server, start_me_up, notUsed}.\n`);
  return dir;
}

/** A terl node with kvs and the lib_chan server started, on a free port. */
export async function startLibChanServer(): Promise<{ port: number; server: ReturnType<typeof startTerl> }> {
  const port = await freePort();
  const server = startTerl([], { cwd: libChanDir(port) });
  server.send('kvs:start().');
  server.send('lib_chan:start_server("lib_chan.conf").');
  await server.waitFor(/ConfigData=[\s\S]*\ntrue\n/);
  return { port, server };
}
