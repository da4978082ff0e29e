// Bundle shell/tui.tsx on its own for the UI's end-to-end tests, so they test the UI as it is in the
// tree without depending on the rest of the build. Ink and React are bundled in (production React),
// which starts in about a third of the time of loading them from node_modules; the bundle goes under
// node_modules/.cache so what stays outside it (react-devtools-core, never loaded) resolves as usual.

import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/terl.js';

/** Build the UI; gives the file: URL of its entry (tui.js) and a way to remove the build. */
export async function buildTui(): Promise<{ url: string; remove: () => void }> {
  const base = join(ROOT, 'node_modules', '.cache', 'terl-e2e');
  mkdirSync(base, { recursive: true });
  const outdir = mkdtempSync(join(base, 'tui-'));
  await build({
    absWorkingDir: ROOT,
    entryPoints: [{ in: 'shell/tui.tsx', out: 'tui' }],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    external: ['react-devtools-core'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS packages bundled into an ES module still call require() for node's own modules
    banner: { js: "import { createRequire as __terlRequire } from 'node:module'; const require = __terlRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return { url: pathToFileURL(join(outdir, 'tui.js')).href, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}
