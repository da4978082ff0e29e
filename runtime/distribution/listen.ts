// The listen socket of a distributed node: the first free port in inet_dist_listen_min..max (any port
// when no range is given), as inet_tcp_dist:listen does.

import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { DistStartError } from './node_name.js';

/** Listen on the first port of min..max that is free (port 0, any, without a range). */
export async function listenInRange(min?: number, max?: number): Promise<Server> {
  const lo = min ?? 0;
  const hi = max ?? (min !== undefined ? min : 0);
  let lastCode = 'eaddrinuse';
  for (let port = lo; port <= Math.max(lo, hi); port++) {
    const s = createServer({ pauseOnConnect: false });
    try {
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
          s.removeListener('error', reject);
          resolve();
        });
      });
      return s;
    } catch (e) {
      lastCode = ((e as NodeJS.ErrnoException).code ?? 'error').toLowerCase();
      s.close();
    }
  }
  throw new DistStartError(`Protocol 'inet_tcp': register/listen error: ${lastCode}\n`);
}
