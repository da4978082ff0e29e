// Limits students run into, through the real terl binary: body recursion a million calls deep in
// compiled code, and processes spinning forever while the shell keeps answering.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTerl } from '../../../helpers/terl.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terl-limits-'));
  writeFileSync(
    join(dir, 'deep.erl'),
    ['-module(deep).', '-export([len/1, loop/0]).', 'len([]) -> 0;', 'len([_|T]) -> 1 + len(T).', 'loop() -> loop().', ''].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('limits in the shell', () => {
  it('body recursion a million calls deep', async () => {
    const r = await runTerl([], 'deep:len(lists:seq(1, 1000000)).\n', { cwd: dir, timeoutMs: 60000 });
    expect(r.stdout).toContain('1> 1000000\n');
  });

  it('two processes spinning forever do not stop the shell from answering', async () => {
    const r = await runTerl([], 'spawn(fun deep:loop/0), spawn(fun deep:loop/0), ok.\n1 + 1.\nself() ! x, receive x -> got end.\n', { cwd: dir, timeoutMs: 30000 });
    expect(r.stdout).toContain('1> ok\n2> 2\n3> got\n');
  });
});
