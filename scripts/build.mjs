// Bundles terl into dist/: the CLI (main thread), the node's worker, and the Ink UI (loaded only for a terminal).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = ['src/cli.ts', 'src/node_worker.ts', 'shell/tui.tsx', 'runtime/dist/epmd_daemon.ts'].filter((e) => existsSync(join(root, e)));

await build({
  absWorkingDir: root,
  entryPoints: entries.map((e) => ({ in: e, out: e.split('/').pop().replace(/\.tsx?$/, '') })),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
