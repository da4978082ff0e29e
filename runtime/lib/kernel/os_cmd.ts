// os:cmd/1,2 on a port, as OTP runs it: `/bin/sh -s unix:cmd` reads the command from its standard
// input as `(Cmd\n) </dev/null; echo "^D"` (so cd, ulimit and background jobs behave), and the output
// up to that ^D is the result, as characters when it is UTF-8, as bytes otherwise. The calling
// process waits in a receive, as in OTP; the port is its resource, so a caller killed meanwhile
// closes it.

import { Atom, ErlMap, List, NIL, Term, Tuple, atom, charlist, list, tuple } from '../../vm/term.js';
import { erlError, errorInfoItem, frame } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { S } from '../../vm/scheduler.js';
import { receive } from '../../vm/receive.js';
import { chardata, decodeUtf8, encodeUtf8, fromCodePoints, intList } from '../common.js';
import { getCwd } from '../../vm/cwd.js';
import { DEFAULT_SPAWN_OPTIONS, SpawnPort } from '../erts/spawn_port.js';

const EOT = 4;
const DATA = atom('data');
const EOF = atom('eof');
const MAX_SIZE = atom('max_size');
const INFINITY = atom('infinity');

function badarg(args: Term[], arg: number, text: string, cause?: string): never {
  const item = errorInfoItem([tuple(arg, charlist(text))], 'erl_kernel_errors', cause);
  throw erlError(atom('badarg'), list([frame('os', 'cmd', args, list([item]))]));
}

/** The command as text: an atom or a (deep) list of characters; trailing NULs are dropped, others refused. */
function commandText(t: Term): string | undefined {
  if (t instanceof Atom) return t.name;
  if (!(t instanceof List) && t !== NIL) return undefined;
  const r = chardata(t);
  if (r === undefined || !r.ok) return undefined;
  let end = r.chars.length;
  while (end > 0 && r.chars[end - 1] === 0) end--;
  if (r.chars.slice(0, end).includes(0)) return undefined;
  return fromCodePoints(r.chars.slice(0, end));
}

function* cmd(c: Term, maxSize: number): Generator<unknown, Term, unknown> {
  const self = S.current;
  const text = commandText(c)!;
  const port = new SpawnPort(self, '/bin/sh -s unix:cmd', { command: '/bin/sh -s unix:cmd' }, {
    ...DEFAULT_SPAWN_OPTIONS,
    env: [],
    binary: true,
    stderrToStdout: true,
    eof: true,
    cd: getCwd(),
  });
  // no exit signal from this port: the caller is told by messages only
  port.unlinkFrom(self);
  port.write(encodeUtf8([...`(${text}\n) </dev/null; echo "\u0004"\n`].map((ch) => ch.codePointAt(0)!)));
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const m = yield* receive((msg) =>
      msg instanceof Tuple && msg.elements.length === 2 && msg.elements[0] === port.term ? msg.elements[1] : undefined,
    );
    if (m === EOF || m === undefined) break;
    if (!(m instanceof Tuple) || m.elements[0] !== DATA) continue;
    const bytes = (m.elements[1] as { bytes: Uint8Array }).bytes;
    const eot = bytes.indexOf(EOT);
    const upto = Math.min(eot >= 0 ? eot : bytes.length, maxSize - size);
    chunks.push(bytes.subarray(0, upto));
    size += upto;
    if (eot >= 0 || size >= maxSize) break;
  }
  port.exit(atom('normal'), false);
  // what the port said after the end stays out of the caller's mailbox
  self.mailbox.removeWhere((msg) => msg instanceof Tuple && msg.elements[0] === port.term);
  const all = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    all.set(ch, at);
    at += ch.length;
  }
  const u = decodeUtf8(all);
  return u.bad < 0 ? list(u.chars) : intList(all);
}

defineGenBif('os', 'cmd', 1, function* (c: Term) {
  if (commandText(c) === undefined) badarg([c], 1, 'not a list of characters');
  return yield* cmd(c, Infinity);
});

defineGenBif('os', 'cmd', 2, function* (c: Term, opts: Term) {
  if (!(opts instanceof ErlMap)) badarg([c, opts], 2, 'not a map', 'badopt');
  if (commandText(c) === undefined) badarg([c, opts], 1, 'not a list of characters');
  const m = opts.get(MAX_SIZE) ?? INFINITY;
  const max = m === INFINITY ? Infinity : typeof m === 'number' && m >= 0 ? m : undefined;
  if (max === undefined) badarg([c, opts], 2, 'not a map', 'badopt');
  return yield* cmd(c, max);
});
