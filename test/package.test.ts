// The published package: `npm pack`, then installed from the tarball into an empty folder, as a user
// would, with nothing else: no devDependencies, no build step. Both ways of running it must work.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/terl.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';
let files: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terl-pack-'));
  // --ignore-scripts: the suite has just built dist/; prepare would build it again
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  execFileSync(npm, ['init', '-y'], { cwd: app, stdio: 'ignore' });
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0]!.filename)], { cwd: app, stdio: 'pipe' });
}, 120000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const terl = (args: string[], input = '') =>
  spawnSync(join(dir, 'app', 'node_modules', '.bin', 'terl'), args, { cwd: join(dir, 'app'), input, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1' } });

describe('the package installed from its tarball', () => {
  it('holds what runs and nothing else', () => {
    expect(files).toContain('bin/terl.js');
    expect(files).toContain('dist/cli.cjs');
    expect(files).toContain('dist/node_worker_start.cjs');
    expect(files).toContain('dist/node_worker.cjs');
    expect(files).toContain('dist/node_worker.cache');
    expect(files).toContain('examples/kvs.erl');
    expect(files.filter((f) => /^(test|bench|src|shell|scripts)\//.test(f))).toEqual([]);
  });

  it('installs with no dependencies of its own', () => {
    expect(readdirSync(join(dir, 'app', 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['terl']);
  });

  it('runs -noshell -eval', () => {
    // queue is one of the library's Erlang modules, compiled by the build into dist/lib
    const r = terl(['-noshell', '-eval', 'io:format("~p~n", [queue:to_list(queue:from_list(lists:reverse(lists:seq(1, 3))))]), halt().']);
    expect(r.stdout).toBe('[3,2,1]\n');
    expect(r.status).toBe(0);
  });

  it('installs with npm install -g, a terl on the PATH', () => {
    const prefix = join(dir, 'global');
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync(npm, ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(dir, tgz)], { stdio: 'pipe' });
    const r = spawnSync(join(prefix, 'bin', 'terl'), ['-noshell', '-eval', 'io:format("~w~n", [node()]), halt().'], { encoding: 'utf8', timeout: 30000 });
    expect(r.stdout).toBe('nonode@nohost\n');
  });

  it('runs the shell, reading a pipe', () => {
    const r = terl([], 'X = 6 * 7.\nX + 1.\n');
    expect(r.stdout).toMatch(/^Eshell terl [\d.]+ +\(abort with \^G\)\n1> 42\n2> 43\n3> \*\*\* Terminating erlang \(nonode@nohost\)\n$/);
  });
});
