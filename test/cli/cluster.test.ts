// --cluster's spec and --tour: one set of flags per node (src/cluster.ts), the command line's errors,
// and --help documenting both.

import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../../src/flags.js';
import { clusterNodes } from '../../src/cluster.js';
import { runTerl } from '../helpers/terl.js';

const nodes = (...argv: string[]) => clusterNodes(parseFlags(argv));

describe('--cluster', () => {
  it('gives each node its short name and the common flags', () => {
    const ns = nodes('--cluster', 'kvs_server,client', '-setcookie', 'abc', '-pa', 'ebin');
    expect(ns.map((n) => n.name)).toEqual(['kvs_server', 'client']);
    expect(ns.map((n) => [n.flags.sname, n.flags.name, n.flags.setcookie, n.flags.pa])).toEqual([
      ['kvs_server', undefined, 'abc', ['ebin']],
      ['client', undefined, 'abc', ['ebin']],
    ]);
    expect(ns.every((n) => n.flags.cluster === undefined && !n.flags.tour)).toBe(true);
  });

  it('takes a cookie and the name mode per node', () => {
    const ns = nodes('--cluster', 'kvs_server, client:cookie=wrong, far@127.0.0.1:name, near:name:sname', '-setcookie', 'abc');
    expect(ns.map((n) => [n.flags.sname, n.flags.name, n.flags.setcookie])).toEqual([
      ['kvs_server', undefined, 'abc'],
      ['client', undefined, 'wrong'],
      [undefined, 'far@127.0.0.1', 'abc'],
      ['near', undefined, 'abc'],
    ]);
    // without -setcookie, a node without cookie= reads ~/.erlang.cookie as erl does
    expect(nodes('--cluster', 'a,b:cookie=x').map((n) => n.flags.setcookie)).toEqual([undefined, 'x']);
  });

  it.each([
    [['--cluster', 'a,b:cookie='], "terl: --cluster: unknown option 'cookie=' for b (cookie=C, name or sname)"],
    [['--cluster', 'a,b:long'], "terl: --cluster: unknown option 'long' for b (cookie=C, name or sname)"],
    [['--cluster', 'a,,b'], "terl: --cluster: bad node name ''"],
    [['--cluster', 'a,a'], 'terl: --cluster names a twice'],
    [['--cluster', 'a', '-sname', 'b'], 'terl: --cluster names its nodes itself; -sname cannot be used with it'],
    [['--cluster', 'a', '-noshell'], 'terl: --cluster gives every node a shell; -noshell cannot be used with it'],
    [['--tour', '--cluster', 'a'], 'terl: --tour starts its own cluster; it cannot be used with --cluster'],
  ])('refuses %j', (argv, message) => {
    expect(() => nodes(...argv)).toThrow(message);
  });

  it('--tour starts kvs_server and client with the examples on their code path', () => {
    const ns = nodes('--tour', '-setcookie', 'abc');
    expect(ns.map((n) => [n.name, n.flags.sname, n.flags.setcookie])).toEqual([
      ['kvs_server', 'kvs_server', 'abc'],
      ['client', 'client', 'abc'],
    ]);
    const examples = ns[0]!.flags.pa.at(-1)!;
    expect(existsSync(join(examples, 'kvs.erl'))).toBe(true);
  });

  it('is documented in --help, and needs a terminal', async () => {
    const help = await runTerl(['--help']);
    expect(help.stdout).toContain('  --cluster Node,Node... several nodes in one terminal window, a pane each, e.g.\n');
    expect(help.stdout).toContain('Keys: Ctrl-O (F2) next pane, Ctrl-X (F3) zoom the pane,');
    expect(help.stdout).toContain('  --tour                 the seed\'s lesson in a two-node cluster window\n');
    const piped = await runTerl(['--cluster', 'a,b'], '');
    expect(piped.stderr).toBe('terl: --cluster and --tour need a terminal that can draw panes\n');
    expect(piped.code).toBe(2);
    const bad = await runTerl(['--cluster', 'a,a'], '');
    expect(bad.stderr).toBe('terl: --cluster names a twice\n');
    expect(bad.code).toBe(2);
  });
});
