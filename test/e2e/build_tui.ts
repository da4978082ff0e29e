// The UI's end-to-end tests load the UI as terl ships it: dist/tui.js, built by scripts/build.mjs
// (npm test builds before any test runs; other test files run terl from dist/ meanwhile, so it is
// built here only when missing, never rebuilt under their feet).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/terl.js';

/** The file: URL of the UI's entry (dist/tui.js). */
export async function buildTui(): Promise<{ url: string; remove: () => void }> {
  const tui = join(ROOT, 'dist', 'tui.js');
  if (!existsSync(tui)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
  return { url: pathToFileURL(tui).href, remove: () => {} };
}
