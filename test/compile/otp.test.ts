import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { featureSuite, loadSource } from './harness.js';

// OTP's own pure-Erlang library modules (queue, gb_trees, dict, array, base64, erl_parse,
// ...) compiled by terl from real erl's sources and run against what real erl
// gives (test/fixtures/compile/otp.cases). Large, old, real code: it exercises every corner of
// the compiler at once.

const libs = '/usr/lib/erlang/lib';
const stdlib = existsSync(libs) ? readdirSync(libs).find((d) => d.startsWith('stdlib-')) : undefined;
const src = stdlib && join(libs, stdlib, 'src');
const modules = ['queue', 'gb_trees', 'gb_sets', 'orddict', 'ordsets', 'sets', 'dict', 'array', 'base64', 'erl_parse', 'erl_anno'];

if (src && modules.every((m) => existsSync(join(src, m + '.erl')))) {
  for (const m of modules) loadSource(readFileSync(join(src, m + '.erl'), 'utf8'), join(src, m + '.erl'));
  featureSuite('otp');
} else {
  describe('OTP modules compiled by terl', () => {
    it.skip('needs the OTP sources in /usr/lib/erlang/lib/stdlib-*/src (package erlang-src)', () => {});
  });
}
