import { describe, it, expect } from 'vitest';
import { parseFlags, FlagError } from '../../src/flags.js';
import { withEnvFlags, words } from '../../src/env_flags.js';
import { runTerl } from '../helpers/terl.js';

describe('erl-style flags', () => {
  it('reads the distribution flags', () => {
    const f = parseFlags(['-sname', 'kvs_server', '-setcookie', 'abc', '-hidden', '-connect_all', 'false']);
    expect(f.sname).toBe('kvs_server');
    expect(f.setcookie).toBe('abc');
    expect(f.hidden).toBe(true);
    expect(f.connectAll).toBe(false);
  });
  it('keeps -eval expressions and -s calls in order', () => {
    const f = parseFlags(['-noshell', '-eval', 'io:format("a").', '-s', 'kvs', 'start', '-eval', 'halt().']);
    expect(f.noshell).toBe(true);
    expect(f.boot).toEqual([
      { kind: 'eval', expr: 'io:format("a").' },
      { kind: 's', module: 'kvs', fn: 'start', args: [] },
      { kind: 'eval', expr: 'halt().' },
    ]);
  });
  it('takes -kernel pairs and -pa directories', () => {
    const f = parseFlags(['-pa', 'a', 'b', '-kernel', 'inet_dist_listen_min', '9100', 'inet_dist_listen_max', '9105']);
    expect(f.pa).toEqual(['a', 'b']);
    expect(f.kernel).toEqual([
      ['inet_dist_listen_min', '9100'],
      ['inet_dist_listen_max', '9105'],
    ]);
  });
  it('takes the boot loader flags and -config files', () => {
    const f = parseFlags(['-loader', 'inet', '-hosts', '10.0.0.1', '10.0.0.2', '-id', 'student', '-config', 'sys', '-kernel', 'global_groups', '[{g1,[a@h]}]']);
    expect(f.loader).toBe('inet');
    expect(f.hosts).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(f.id).toBe('student');
    expect(f.config).toEqual(['sys']);
    expect(f.kernel).toEqual([['global_groups', '[{g1,[a@h]}]']]);
    expect(() => parseFlags(['-loader', 'ftp'])).toThrow('terl: -loader takes efile or inet, not ftp');
    expect(() => parseFlags(['-config'])).toThrow('terl: -config needs a file name');
  });
  it('defaults -s to the start function', () => {
    expect(parseFlags(['-s', 'kvs']).boot[0]).toEqual({ kind: 's', module: 'kvs', fn: 'start', args: [] });
  });
  it('takes erl\'s scheduler busy wait threshold', () => {
    expect(parseFlags(['+sbwt', 'none']).busyWaitMs).toBe(0);
    expect(parseFlags(['-pa', 'ebin', '+sbwt', 'very_long', '-noshell'])).toMatchObject({ pa: ['ebin'], busyWaitMs: 10, noshell: true });
    expect(parseFlags([]).busyWaitMs).toBeUndefined();
  });
  it('takes +P, the most processes at once', () => {
    expect(parseFlags(['+P', '1000000', '-noshell']).processLimit).toBe(1000000);
    expect(parseFlags([]).processLimit).toBeUndefined();
  });
  it.each([
    [['+sbwt', 'foo'], 'bad scheduler busy wait threshold: foo'],
    [['+sbwt'], 'bad scheduler busy wait threshold: '],
    [['+P', '100'], 'bad number of processes 100'],
    [['+P', 'many'], 'bad number of processes many'],
    [['+P', '134217728'], 'bad number of processes 134217728'],
    [['-bogus'], 'terl: unknown flag -bogus (terl --help lists the flags)'],
    [['-sname'], 'terl: -sname needs a value'],
    [['-kernel', 'inet_dist_listen_min'], 'terl: -kernel needs Key Value pairs'],
    [['-kernel', 'inet_dist_listen_min', 'ten'], 'terl: -kernel inet_dist_listen_min needs a number, not ten'],
    [['-connect_all', 'maybe'], 'terl: -connect_all takes true or false, not maybe'],
    [['-sname', 'a', '-name', 'b'], 'terl: -sname and -name cannot be used together'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(new FlagError(message));
  });
  it('prints one line and exits non-zero on a bad flag', async () => {
    const r = await runTerl(['-bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('terl: unknown flag -bogus (terl --help lists the flags)\n');
  });
  it('prints its version', async () => {
    const r = await runTerl(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^terl \d+\.\d+\.\d+\n$/);
  });
});

describe('ERL_AFLAGS, ERL_FLAGS, ERL_ZFLAGS (src/env_flags.ts)', () => {
  it('splits a variable as a shell does: blanks, quotes, backslashes', () => {
    expect(words(`-eval 'io:format("a b~n")' -s  m f\\ g "x y"`)).toEqual(['-eval', 'io:format("a b~n")', '-s', 'm', 'f g', 'x y']);
  });

  it('puts AFLAGS first, FLAGS and ZFLAGS last, and each -extra in the -extra section closed by --', () => {
    const r = withEnvFlags(['-noshell', '-extra', 'c1'], { ERL_AFLAGS: '-sname a -extra a1', ERL_FLAGS: '-hidden', ERL_ZFLAGS: '-extra z1 z2' });
    expect(r.argv).toEqual(['-sname', 'a', '-noshell', '-hidden', '-extra', 'a1', '--', 'c1', 'z1', 'z2', '--']);
    expect(r.fromEnv.slice(0, 4)).toEqual([true, true, false, true]);
    expect(parseFlags(r.argv, r.fromEnv)).toMatchObject({ sname: 'a', noshell: true, hidden: true, extra: ['a1', '--', 'c1', 'z1', 'z2', '--'] });
  });

  it('no variables: the command line as it is', () => {
    expect(withEnvFlags(['-noshell'], {})).toEqual({ argv: ['-noshell'], fromEnv: [false] });
  });
});
