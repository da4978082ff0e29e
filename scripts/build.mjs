// Bundles terl into dist/: the CLI (main thread), the node's worker, terl's port-mapper daemon, and
// the Ink UI (loaded only for a terminal). Every package is bundled in, so the published package has
// no dependencies to install; the UI bundles Ink and React (production React), which also starts in
// about a third of the time of loading them from node_modules.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const present = (e) => existsSync(join(root, e));
const entry = (e) => ({ in: e, out: e.split('/').pop().replace(/\.tsx?$/, '') });
const common = { absWorkingDir: root, bundle: true, format: 'esm', platform: 'node', target: 'node20', outdir: 'dist', logLevel: 'warning' };

// a fresh dist/ each time: chunk names change with their contents
rmSync(join(root, 'dist'), { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli.ts', 'src/node_worker.ts', 'runtime/distribution/epmd_daemon.ts'].filter(present).map(entry),
    splitting: true,
    sourcemap: 'linked',
  }),
  build({
    ...common,
    entryPoints: [entry('shell/tui.tsx')],
    // split, so Ink's development-only import of react-devtools-core stays a dynamic import never taken
    splitting: true,
    external: ['react-devtools-core'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS packages bundled into an ES module still call require() for node's own modules
    banner: { js: "import { createRequire as __terlRequire } from 'node:module'; const require = __terlRequire(import.meta.url);" },
  }),
]);

// the library's Erlang modules, compiled once here instead of on their first call (dist/lib/*.json)
const precompiler = join(root, 'dist', 'precompile.mjs');
await build({ ...common, entryPoints: ['scripts/precompile.ts'], outdir: undefined, outfile: 'dist/precompile.mjs', packages: 'external' });
try {
  const { precompileLibrary } = await import(precompiler);
  precompileLibrary(root);
} finally {
  rmSync(precompiler, { force: true });
}
