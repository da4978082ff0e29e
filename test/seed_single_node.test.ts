// The seed's single-node session: kvs.erl found in the current directory on first call, a
// registered server process, store and lookup, exactly as erl prints it with piped input.

import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { ROOT, runTerl } from './helpers/terl.js';

describe('the seed transcript on one node', () => {
  it('runs kvs from examples/ as erl would', async () => {
    const input = [
      'kvs:start().',
      'kvs:store({location, joe}, "Island").',
      'kvs:store(weather, raining).',
      'kvs:lookup(weather).',
      'kvs:lookup({location, joe}).',
      'kvs:lookup({location, jane}).',
      'kvs:store(weather, sunny).',
      'kvs:lookup(weather).',
    ].join('\n') + '\n';
    const r = await runTerl([], input, { cwd: join(ROOT, 'examples') });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '1> true',
      '2> true',
      '3> true',
      '4> {ok,raining}',
      '5> {ok,"Island"}',
      '6> undefined',
      '7> true',
      '8> {ok,sunny}',
      '9> *** Terminating erlang (nonode@nohost)',
      '',
    ]);
  });

  it('compiles with c/1 and reports errors in erlc words', async () => {
    const r = await runTerl([], 'c(kvs).\nc(nosuch).\n', { cwd: join(ROOT, 'examples') });
    expect(r.stdout).toContain('1> {ok,kvs}\n');
    expect(r.stdout).toContain('2> {error,non_existing}\n');
  });
});
