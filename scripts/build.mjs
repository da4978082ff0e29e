// Bundles terl into dist/: the CLI (main thread), the node's worker, terl's port-mapper daemon, and
// the Ink UI (loaded only for a terminal). Every package is bundled in, so the published package has
// no dependencies to install; the UI bundles Ink and React (production React), which also starts in
// about a third of the time of loading them from node_modules.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = (e) => ({ in: e, out: e.split('/').pop().replace(/\.tsx?$/, '') });
// Whitespace and comments out: V8 keeps each script's source for lazy compilation, and one non-ASCII
// character (an arrow in a comment) makes all of it two bytes a character; the worker's 1.4 MB bundle
// held 2.8 MB of the idle node's heap, minified it holds 1 MB (stack traces: node --enable-source-maps)
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  logLevel: 'warning',
  minifyWhitespace: true,
};

// a fresh dist/ each time: chunk names change with their contents
rmSync(join(root, 'dist'), { recursive: true, force: true });

/** A CommonJS bundle of one entry. */
const commonJs = (entryPoint, outfile, more = {}) => ({ ...common, entryPoints: [entryPoint], outdir: undefined, outfile, format: 'cjs', ...more });
/** import.meta.url, which CommonJS lacks, made from __filename. */
const importMetaUrl = {
  define: { 'import.meta.url': '__terlUrl' },
  banner: { js: "const __terlUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  // the main thread, CommonJS (bin/terl.js is too): no ES module loader in the process, 0.6 MB
  // of every node (the UI, an ES module, is imported only for a terminal)
  build(commonJs('src/cli.ts', 'dist/cli.cjs', { ...importMetaUrl, sourcemap: 'linked' })),
  // terl's port mapper (runtime/distribution/epmd_daemon.ts), alone and CommonJS: it loads node:net
  // and nothing of the node, and without the ES module loader (and its file reads on libuv's thread
  // pool) the daemon is some 1.2 MB smaller
  build(commonJs('runtime/distribution/epmd_daemon.ts', 'dist/epmd_daemon.cjs')),
  // the worker's entry, CommonJS too: a worker whose entry is an ES module starts the ES module loader
  build(commonJs('src/node_worker_start.ts', 'dist/node_worker_start.cjs', importMetaUrl)),
  // the node, as a CommonJS module's function (strict, as the ES modules it is made of; its
  // import.meta.url is a parameter): src/node_worker_start.ts runs it through V8's code cache
  build({
    ...common,
    entryPoints: ['src/node_worker.ts'],
    outdir: undefined,
    outfile: 'dist/node_worker.cjs',
    format: 'cjs',
    sourcemap: 'linked',
    define: { 'import.meta.url': '__terlModuleUrl' },
    banner: { js: "(function (exports, require, module, __filename, __dirname, __terlModuleUrl) {'use strict';" },
    footer: { js: '})' },
  }),
  build({
    ...common,
    entryPoints: [entry('shell/tui.tsx')],
    // split, so Ink's development-only import of react-devtools-core stays a dynamic import never taken
    splitting: true,
    external: ['react-devtools-core'],
    // yoga's loader asks `typeof fetch` (to stream its WebAssembly), and in Node that question loads
    // undici, Node's fetch: some 10 MB and a tenth of a second at each start, for a data: URL it
    // then decodes itself anyway
    define: { 'process.env.NODE_ENV': '"production"', fetch: 'undefined' },
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

// the node's text is read as latin1, one byte a character (src/node_worker_start.ts): it must be ASCII
// eslint-disable-next-line no-control-regex
if (/[^\x00-\x7f]/.test(readFileSync(join(root, 'dist', 'node_worker.cjs'), 'latin1'))) throw new Error('dist/node_worker.cjs is not ASCII');

// V8's code cache of the node (src/node_worker_start.ts): a node booted to its prompt, an expression
// evaluated and printed, halted; what was compiled on the way is kept
const cached = spawnSync(process.execPath, [join(root, 'bin', 'terl.js')], {
  input: 'lists:seq(1, 3).\nio:format("~p~n", [{ok, "text"}]).\nhalt().\n',
  env: { ...process.env, TERL_WRITE_CODE_CACHE: join(root, 'dist', 'node_worker.cache') },
  stdio: ['pipe', 'ignore', 'inherit'],
});
if (cached.status !== 0 || !existsSync(join(root, 'dist', 'node_worker.cache'))) throw new Error('the node did not boot to write its code cache');
