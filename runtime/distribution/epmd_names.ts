// Node names as real epmd (OTP 25) checks them, found by feeding it each case:
//
//   request longer than 3057 bytes          closed, no answer ("invalid packet size")
//   ALIVE2_REQ with an empty name           closed, no answer ("packet too small")
//   ALIVE2_REQ with a NUL in the name       closed, no answer
//   ALIVE2_REQ, name not UTF-8              answered with result 1 ("invalid node name encoding")
//   ALIVE2_REQ, name over 255 characters    answered with result 1 ("node name is too long")
//   PORT_PLEASE2_REQ, empty name            closed, no answer
//   PORT_PLEASE2_REQ, name with a NUL       answered "not found", then closed
//   PORT_PLEASE2_REQ, not UTF-8 or too long closed, no answer ("invalid node name")
//
// A newline in a name is accepted by epmd, and so here (`epmd -names` then shows it as a line
// of its own, as epmd's does).

/** The longest request body epmd reads. */
export const MAX_REQUEST = 3057;
/** The most characters a node name may have (an atom's). */
const MAX_NAME_CHARS = 255;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What to do with a name: take it, answer that it is refused, or hang up without a word. */
export type NameVerdict = { ok: true; name: string } | { ok: false; answer: boolean };

function decoded(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The name of an ALIVE2_REQ (its bytes). */
export function aliveName(bytes: Uint8Array): NameVerdict {
  if (bytes.length === 0 || bytes.includes(0)) return { ok: false, answer: false };
  const name = decoded(bytes);
  if (name === undefined || chars(name) > MAX_NAME_CHARS) return { ok: false, answer: true };
  return { ok: true, name };
}

/** The name of a PORT_PLEASE2_REQ (answer: say "not found"). */
export function portPleaseName(bytes: Uint8Array): NameVerdict {
  if (bytes.length === 0) return { ok: false, answer: false };
  if (bytes.includes(0)) return { ok: false, answer: true };
  const name = decoded(bytes);
  if (name === undefined || chars(name) > MAX_NAME_CHARS) return { ok: false, answer: false };
  return { ok: true, name };
}
