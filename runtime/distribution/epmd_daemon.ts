// `node dist/epmd_daemon.cjs`: terl's EPMD as a daemon, what `epmd -daemon` is for erl: started by
// hand (or by tests and benches), it serves every node on the host. It stops on KILL_REQ
// (`epmd -kill`) or SIGTERM/SIGINT.
//
// With -handover it is the heir of a port mapper a terl node served in its own process
// (epmd_host.ts): spawned detached with an IPC channel by that node's process as it leaves with a
// node other than terl's registered (with only terl nodes left, one of them takes over instead:
// epmd_takeover.ts), it listens on nothing of its own but adopts the listening socket and the
// other nodes' registrations (epmd_handover.ts), then lives on as the daemon above.
//
// Environment, as for epmd: ERL_EPMD_PORT (default 4369), ERL_EPMD_ADDRESS (comma-separated
// listen addresses; loopback is always added), ERL_EPMD_RELAXED_COMMAND_CHECK (allow -kill with
// nodes registered, and -stop). Arguments -port N and -address A,B override the environment.

import { epmdPort } from './epmd_wire.js';
import { startEpmdServer } from './epmd_server.js';
import { takeOver } from './epmd_handover.js';

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
  const heir = process.argv.includes('-handover') && process.send !== undefined;
  try {
    const server = await startEpmdServer({
      port,
      addresses,
      relaxed,
      listen: !heir,
      onKill: () => process.exit(0),
      log: debug ? (l) => process.stderr.write(`epmd: ${l}\n`) : undefined,
    });
    if (heir) {
      try {
        await takeOver(server);
      } catch (e) {
        process.stderr.write(`epmd: ${(e as Error).message}\n`);
        process.exit(1);
      }
    }
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
