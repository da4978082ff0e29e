// lib_chan's challenge/response authentication (the book's lib_chan_auth, rewritten).
//
//   server → client   {challenge, C}     C: 25 letters a–z
//   client → server   {response, R}      R = lowercase hex MD5 of the bytes of C ++ Password
//
// The bytes are the Latin-1 code units of the characters (erlang:md5 of a charlist), so a
// password char like ä (228) is the single byte 0xE4. Challenges come from a CSPRNG with
// rejection sampling (no modulo bias), and the server compares responses in constant time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const CHALLENGE_LENGTH = 25;

const LETTERS = 26;
/** The largest multiple of 26 that fits in a byte: bytes at or above it are thrown away. */
const SAMPLE_LIMIT = 256 - (256 % LETTERS);

/** A fresh challenge: 25 lowercase letters, about 117 bits of entropy. */
export function makeChallenge(random: (n: number) => Uint8Array = randomBytes): string {
  let out = '';
  while (out.length < CHALLENGE_LENGTH) {
    for (const b of random(CHALLENGE_LENGTH * 2)) {
      if (b >= SAMPLE_LIMIT) continue;
      out += String.fromCharCode(97 + (b % LETTERS));
      if (out.length === CHALLENGE_LENGTH) break;
    }
  }
  return out;
}

/** The response a client sends: md5hex(Challenge ++ Password) over Latin-1 bytes. */
export function makeResponse(challenge: Uint8Array, password: Uint8Array): string {
  return createHash('md5').update(challenge).update(password).digest('hex');
}

/** Does the client's response match? Constant time in the response's content. */
export function isResponseCorrect(challenge: Uint8Array, response: Uint8Array, password: Uint8Array): boolean {
  const expected = Buffer.from(makeResponse(challenge, password), 'latin1');
  if (response.length !== expected.length) return false;
  return timingSafeEqual(expected, response);
}

/** The Latin-1 bytes of a JS string whose characters are all ≤ 255, or undefined. */
export function latin1Bytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return undefined;
    out[i] = c;
  }
  return out;
}
