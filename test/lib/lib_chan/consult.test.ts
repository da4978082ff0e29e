// Reading lib_chan.conf: file:consult's terms and, for broken files, its exact error reasons
// (compared with file:consult on real Erlang).

import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../helpers/library.js';
import { consult } from '../../../runtime/lib/lib_chan/consult.js';
import { list, tuple, atom } from '../../../runtime/vm/term.js';
import { format } from '../../../runtime/lib/stdlib/format/io_lib.js';
import { HAVE_ERL, runErl } from '../../interop/lib_chan_erl.js';

// name → file contents (bytes as latin1 text, so invalid UTF-8 can be written)
const FILES: Record<string, string> = {
  good: '{port, 1234}.\n{service, nameServer, password, "ABXy45", mfa, mod_name_server, start_me_up, notUsed}.\n',
  empty: '',
  comments: '%% lib_chan\n{port, 1234}. % the port\n',
  syntax: '{port, 1234}.\n{service, x password}.\n',
  variable: '{port, 1234}.\n{a, X}.\n',
  unterminated_string: '{port, "abc}.\n',
  unterminated_atom: "{port, 'ab}.\n",
  no_dot: '{port, 1234}\n',
  expression: '{port, 1 + 2}.\n',
  two_terms: '{port, 1234}.\n{a, b} {c}.\n',
  bad_integer: '{port, 12#zz}.\n',
  bad_base: '{port, 99#1}.\n',
  invalid_utf8: '{port, 1}.\n{service,\n  x, "p\xe4ss"}.\n',
  latin1_declared: '%% -*- coding: latin-1 -*-\n{password, "p\xe4ss"}.\n',
  utf8: '{password, "p\xc3\xa4ss"}.\n',
};

describe.skipIf(!HAVE_ERL)('lib_chan consult, compared with file:consult', () => {
  let dir: string;
  let expected: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lib_chan_consult-'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name + '.conf'), Buffer.from(text, 'latin1'));
    const names = Object.keys(FILES);
    const out = await runErl(
      `io:setopts([{encoding, unicode}]), [io:format("~s ~w~n", [N, file:consult(filename:join(${JSON.stringify(dir)}, N ++ ".conf"))]) || N <- ${JSON.stringify(names).replace(/'/g, '')}], halt().`,
    );
    expected = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  });

  for (const name of Object.keys(FILES)) {
    it(name, () => {
      const r = consult(join(dir, name + '.conf'));
      const term = r.ok ? tuple(atom('ok'), list(r.terms)) : tuple(atom('error'), r.why);
      expect(format('~w', [term])).toBe(expected[name]);
    });
  }

  it('missing files and directories', () => {
    const why = (file: string) => {
      const r = consult(file);
      return r.ok ? 'ok' : format('~w', [r.why]);
    };
    expect(why(join(dir, 'nope.conf'))).toBe('enoent');
    expect(why(dir)).toBe('eisdir');
  });
});
