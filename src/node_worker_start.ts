// The worker thread's entry (bundled as CommonJS, dist/node_worker_start.cjs): runs the node (dist/node_worker.cjs, src/node_worker.ts bundled as
// CommonJS) through V8's code cache (dist/node_worker.cache), so a fresh node does not parse and
// compile a megabyte of JavaScript before its first prompt: about a quarter of the worker's start.
// ES modules cannot be given a code cache in Node 20 (module.enableCompileCache is Node 22's), a
// vm.Script can. A cache V8 refuses (another Node, other V8 flags) is ignored: the code compiles
// as it would have without one.
//
// The build makes the cache: it runs a node with TERL_WRITE_CODE_CACHE set to the cache's path, types
// an expression and halt(); the cache is written as the node halts, so it holds every function the
// boot, the shell and the halt compiled.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { parentPort } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, 'node_worker.cjs');
const cacheFile = join(here, 'node_worker.cache');

// the bundle is one function expression: CommonJS's wrapper with the bundle's import.meta.url as a
// parameter (scripts/build.mjs), so its text is compiled as it is, with no copy
const script = new Script(readFileSync(file, 'latin1'), {
  filename: file,
  cachedData: existsSync(cacheFile) ? readFileSync(cacheFile) : undefined,
});

const writeTo = process.env.TERL_WRITE_CODE_CACHE;
if (writeTo) {
  // the node's last word to the main thread is its halt, after which the thread is gone
  const post = parentPort!.postMessage.bind(parentPort!);
  parentPort!.postMessage = (msg: unknown, ...rest: never[]) => {
    if ((msg as { t?: string }).t === 'halt') writeFileSync(writeTo, script.createCachedData());
    post(msg, ...rest);
  };
}

/**
 * Node's modules the node loads on their first use rather than as the bundle starts: an idle node
 * never hashes, resolves a host name, opens a socket, compresses or runs a command, and loading
 * these is some 0.8 MB of every node's memory (node:crypto alone, 0.5 MB).
 */
const LAZY = new Set(['node:crypto', 'node:dgram', 'node:dns', 'node:dns/promises', 'node:child_process', 'node:net', 'node:zlib', 'node:fs/promises']);

/**
 * The bundle's require: a lazy module is a stand-in that loads the module when one of its exports is
 * first read (the bundle reads an import as `module.name` where it is used, as esbuild writes it).
 */
function bundleRequire(): NodeJS.Require {
  const load = createRequire(file);
  const lazy = (id: string): object => {
    let real: Record<string | symbol, unknown> | undefined;
    const target = (): Record<string | symbol, unknown> => (real ??= load(id) as Record<string | symbol, unknown>);
    return new Proxy(
      {},
      {
        get: (_, k) => target()[k],
        has: (_, k) => k in target(),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_, k) => {
          const d = Reflect.getOwnPropertyDescriptor(target(), k);
          return d && { ...d, configurable: true };
        },
      },
    );
  };
  return Object.assign((id: string) => (LAZY.has(id) ? lazy(id) : load(id)), load) as NodeJS.Require;
}

const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, bundleRequire(), module, file, here, pathToFileURL(file).href);
