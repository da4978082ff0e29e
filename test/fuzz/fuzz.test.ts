// The fuzzers of test/fuzz/targets.ts, a few hundred seeded inputs each (the long run, 100,000
// each, is test/fuzz/long.ts): no input crashes the compiler or the decoder, none hangs, and a
// live node is alive and serving after every kind of hostile input.

import { afterAll, describe, expect, it } from 'vitest';
import { stopAll } from '../helpers/dist_nodes.js';
import { TARGETS, run } from './targets.js';

afterAll(stopAll);

const COUNTS: Record<string, number> = { etf: 20000, compile: 20000, shell: 2000, dist: 5000, handshake: 3000, epmd: 5000, lib_chan: 3000 };

describe('fuzzing', () => {
  for (const [name, make] of Object.entries(TARGETS)) {
    it(`${name}: ${COUNTS[name]} inputs, no crash, no hang, alive after`, async () => {
      const f = await run(make(), COUNTS[name], 20261207, 250);
      expect(f.failures).toEqual([]);
      expect({ crashes: f.crashes, hangs: f.hangs, aliveAfter: f.aliveAfter }).toEqual({ crashes: 0, hangs: 0, aliveAfter: true });
      expect(f.inputs).toBe(COUNTS[name]);
    }, 240_000);
  }
});
