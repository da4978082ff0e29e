// A handshake that dies as OTP's handshake process does: dist_util runs each handshake in a
// process of its own, and a BIF error there (erlang:md5/1 of a cookie that is not Latin-1,
// list_to_atom/1 of a name over 255 characters) kills it, which the emulator logs as
//
//   =ERROR REPORT==== ... ===
//   Error in process <0.85.0> on node b@host with exit value:
//   {badarg,[{erlang,md5,[[[321,...],49,48,...]],[{error_info,#{module => erl_erts_errors}}]},
//            {dist_util,gen_digest,2,[{file,"dist_util.erl"},{line,529}]}, ...]}
//
// terl's handshake is no process, so a short-lived one is spawned to die of the same exception:
// the report is the emulator's, with a pid as OTP's has.

import { Term, atom, charlist, list, tuple } from '../vm/term.js';
import { erlError, errorInfoItem } from '../vm/exception.js';
import { node } from '../vm/node.js';
import type { HandshakeCrash } from './handshake.js';

/** {dist_util, F, A, [{file, "dist_util.erl"}, {line, L}]} (OTP 25.2's lines) */
function distUtil(name: string, arity: number, line: number): Term {
  return tuple(atom('dist_util'), atom(name), arity, list([tuple(atom('file'), charlist('dist_util.erl')), tuple(atom('line'), line)]));
}

function bifFrame(name: string, args: Term[]): Term {
  return tuple(atom('erlang'), atom(name), list(args), list([errorInfoItem([])]));
}

/** The exception the handshake process dies of, as {Reason, Stack}. */
export function crashException(c: HandshakeCrash): { reason: Term; stack: Term } {
  if (c.kind === 'cookie') {
    // erlang:md5([atom_to_list(Cookie) | integer_to_list(Challenge)])
    const arg = list([charlist(c.cookie), ...[...String(c.challenge >>> 0)].map((d) => d.charCodeAt(0))]);
    const caller = c.step === 'handshake_we_started' ? distUtil('handshake_we_started', 1, 457) : distUtil('recv_challenge_reply', 3, 936);
    const frames = [bifFrame('md5', [arg]), distUtil('gen_digest', 2, 529), caller];
    if (c.step === 'recv_challenge_reply') frames.push(distUtil('handshake_other_started', 1, 235));
    return { reason: atom('badarg'), stack: list(frames) };
  }
  // list_to_atom(Name), Name the bytes of the name message
  const bytes = list([...c.name].map((ch) => ch.charCodeAt(0)));
  return {
    reason: atom('system_limit'),
    stack: list([bifFrame('list_to_atom', [bytes]), distUtil('recv_name_new', 2, 748), distUtil('handshake_other_started', 1, 208)]),
  };
}

/** Log the crash as the emulator does for OTP's handshake process: a process dies of it. */
export function reportHandshakeCrash(c: HandshakeCrash): void {
  const { reason, stack } = crashException(c);
  node.spawn(function* (): Generator<unknown, Term, unknown> {
    throw erlError(reason, stack);
  }, []);
}
