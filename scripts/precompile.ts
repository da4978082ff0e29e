// Build step: compile each of the library's Erlang modules (runtime/lib/<app>/<mod>.erl) with terl's
// compiler and keep the result in dist/lib/<mod>.json, so the first call of gen_server or queue
// loads it instead of compiling (src/loader.ts). A module that does not compile fails the build.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '../runtime/lib/index.js';
import { installLanguage } from '../src/language.js';
import { compileSourceFile } from '../src/loader.js';
import { keepModule } from '../src/compile/precompiled.js';
import { findInLibrary } from '../runtime/vm/code_path.js';

export function precompileLibrary(root: string): number {
  installLanguage();
  const out = join(root, 'dist', 'lib');
  mkdirSync(out, { recursive: true });
  const lib = join(root, 'runtime', 'lib');
  let n = 0;
  for (const app of readdirSync(lib, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(lib, app.name)).filter((x) => x.endsWith('.erl'))) {
      const module = f.slice(0, -4);
      const r = compileSourceFile(findInLibrary(module)!);
      if (!r.ok || r.compiled === undefined) throw new Error(`runtime/lib/${app.name}/${f} does not compile:\n${r.messages}`);
      writeFileSync(join(out, module + '.json'), keepModule(r.compiled));
      n++;
    }
  }
  return n;
}
