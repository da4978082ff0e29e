// `node dist/epmd_daemon.cjs`: terl's EPMD as a daemon, what `epmd -daemon` is for erl. A node that
// finds nothing on the EPMD port starts it detached, so it outlives that node and serves every node
// on the host. It stops on KILL_REQ (`epmd -kill`) or SIGTERM/SIGINT.
//
// Environment, as for epmd: ERL_EPMD_PORT (default 4369), ERL_EPMD_ADDRESS (comma-separated
// listen addresses; loopback is always added), ERL_EPMD_RELAXED_COMMAND_CHECK (allow -kill with
// nodes registered, and -stop). Arguments -port N and -address A,B override the environment.

import { epmdPort } from './epmd_wire.js';
import { startEpmdServer } from './epmd_server.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const env = process.env;
  const port = arg('-port') !== undefined ? Number(arg('-port')) : epmdPort(env);
  const addressText = arg('-address') ?? env.ERL_EPMD_ADDRESS;
  const addresses = addressText
    ?.split(/[,\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const relaxed = env.ERL_EPMD_RELAXED_COMMAND_CHECK !== undefined || process.argv.includes('-relaxed_command_check');
  const debug = process.argv.includes('-d');
  try {
    const server = await startEpmdServer({
      port,
      addresses,
      relaxed,
      onKill: () => process.exit(0),
      log: debug ? (l) => process.stderr.write(`epmd: ${l}\n`) : undefined,
    });
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (e) {
    // another EPMD got the port first (two nodes starting at once): it serves the host, we are not needed
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`epmd: cannot listen on port ${port}: ${code ?? (e as Error).message}\n`);
    process.exit(code === 'EADDRINUSE' ? 0 : 1);
  }
}

void main();
