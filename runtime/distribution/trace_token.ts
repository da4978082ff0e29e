// The seq_trace token on the wire: the last element of the _TT control messages (SEND_TT,
// SEND_SENDER_TT, REG_SEND_TT, ALIAS_SEND_TT, SPAWN_REQUEST_TT, SPAWN_REPLY_TT, and the exit
// signals' variants), `{Flags, Label, Serial, From, LastCnt}` as BEAM writes it: the serial of the
// step that sent it, the sender's last received serial, and the sender. A message that arrives
// with one hands it to its receiver (runtime/vm/seq_trace.ts takes it from there).
//
// OTP 25 trusts the token a peer sends: a malformed one takes the whole node down. Here it is a
// malformed control message, which closes that connection only.

import { Atom, NIL, Pid, Term, Tuple, tuple } from '../vm/term.js';
import type { Process } from '../vm/process.js';
import { seqCarry, type SeqToken } from '../vm/seq_trace.js';

/** The token as it goes on the wire. */
export function tokenToWire(t: SeqToken): Tuple {
  return tuple(t.flags, t.label, t.serial, t.from, t.lastcnt);
}

const count = (t: Term): t is number => typeof t === 'number' && Number.isInteger(t) && t >= 0;

/**
 * A token from the wire: undefined for `[]` (a _TT message without one, which is no token), the
 * token, or null when it is not a token.
 */
export function tokenFromWire(t: Term): SeqToken | undefined | null {
  if (t === NIL) return undefined;
  if (!(t instanceof Tuple) || t.size !== 5) return null;
  const [flags, label, serial, from, lastcnt] = t.elements;
  if (!count(flags) || !count(serial) || !count(lastcnt)) return null;
  // a token started outside any process names a node (an atom) as its sender
  if (!(from instanceof Pid) && !(from instanceof Atom)) return null;
  return { flags, label, serial, from, lastcnt };
}

/** msg from another node, with its token, is on its way to local process p (if there is one). */
export function carryToken(p: Process | undefined, msg: Term, token: SeqToken | undefined): void {
  if (p !== undefined && token !== undefined) seqCarry(p, msg, token);
}
