// Seeded inputs for the fuzz tests (test/*_fuzz.test.ts, test/fuzz/) and the long run
// (test/fuzz/long.ts): terms and their encodings, Erlang text, and the raw messages strangers send
// to a node's ports. Every generator takes the PRNG, so a failure replays from its seed.

import { Bin, ErlMap, Fun, Pid, Port, Ref, atom, binary, cons, float, list, normInt, tuple } from '../../runtime/vm/term.js';
import type { Term } from '../../runtime/vm/term.js';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer 0..n-1. */
export function pick(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

// ---------- terms ----------

/** A random term of every kind the external format has, nested a few deep. */
export function randomTerm(r: () => number, depth: number): Term {
  const int = (n: number): number => Math.floor(r() * n);
  const pick = depth > 3 ? int(9) : int(16);
  const node = atom(['nonode@nohost', 'a@h', 'zzz@x'][int(3)]);
  switch (pick) {
    case 0:
      return int(300);
    case 1:
      return int(2 ** 40) - 2 ** 39;
    case 2:
      return normInt((BigInt(int(2 ** 30)) << BigInt(int(200))) * (r() < 0.5 ? -1n : 1n));
    case 3:
      return float((r() - 0.5) * 10 ** int(300));
    case 4:
      return atom(['a', 'ok', 'hé', 'ж', 'undefined', ''][int(6)]);
    case 5:
      return binary(Array.from({ length: int(20) }, () => int(256)));
    case 6:
      return new Bin(Uint8Array.from([int(256), int(256) & 0xf0]), 12);
    case 7:
      return new Pid(node, int(1000), int(10), int(5));
    case 8:
      return new Ref(node, [int(2 ** 32), int(2 ** 32), int(2 ** 32)].slice(0, 1 + int(3)), int(5));
    case 9:
      return new Port(node, int(2 ** 33), int(5));
    case 10:
      return list(Array.from({ length: int(6) }, () => randomTerm(r, depth + 1)));
    case 11:
      return list(Array.from({ length: int(6) }, () => int(256)));
    case 12:
      return cons(randomTerm(r, depth + 1), randomTerm(r, depth + 1));
    case 13:
      return tuple(...Array.from({ length: int(5) }, () => randomTerm(r, depth + 1)));
    case 14:
      return ErlMap.from(Array.from({ length: int(5) }, () => [randomTerm(r, depth + 1), randomTerm(r, depth + 1)] as [Term, Term]));
    default:
      return r() < 0.5
        ? new Fun(int(4), undefined, { kind: 'export', module: atom('lists'), name: atom('map'), arity: 2 })
        : new Fun(1, undefined, {
            kind: 'foreign',
            module: atom('m'),
            index: int(10),
            uniq: int(1e6),
            md5: Uint8Array.from({ length: 16 }, () => int(256)),
            free: [randomTerm(r, depth + 1)],
            pid: new Pid(node, 1, 0, 1),
          });
  }
}


/** Tags of the external term format, for mutations that swap one in. */
export const ETF_TAGS = [70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 116, 118, 119, 120];

/** A few bytes of b changed, cut, inserted, a length made huge or a tag replaced (from byte `from` on). */
export function mutateBytes(good: Uint8Array, r: () => number, from = 1): Uint8Array {
  const int = (n: number): number => pick(r, n);
  const b = Uint8Array.from(good);
  const span = Math.max(1, b.length - from);
  switch (int(5)) {
    case 0:
      for (let k = 0; k <= int(3); k++) b[from + int(span)] = int(256);
      return b;
    case 1:
      return b.subarray(0, from + int(span));
    case 2: {
      const at = from + int(Math.max(1, b.length - from - 4));
      b.set([0xff, 0xff, 0xff, int(256)].slice(0, Math.max(0, Math.min(4, b.length - at))), at);
      return b;
    }
    case 3: {
      const at = from + int(span);
      return Uint8Array.from([...b.subarray(0, at), ...Array.from({ length: 1 + int(4) }, () => int(256)), ...b.subarray(at)]);
    }
    default:
      b[from + int(span)] = ETF_TAGS[int(ETF_TAGS.length)];
      return b;
  }
}

/** Random bytes, n of them. */
export function randomBytes(r: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => pick(r, 256));
}

// ---------- Erlang text ----------

export const VOCAB = [
  'a', 'b', 'f', 'ok', "'q a'", 'X', 'Y', '_', '1', '2.5', '16#FF', '$a', '"s"', '"t"', '(', ')', '{', '}', '[', ']', '<<', '>>', ',', ';', ':', '::',
  '=>', ':=', '->', '<-', '<=', '=', '==', '=:=', '/=', '<', '>', '++', '--', '+', '-', '*', '/', '!', '#', '|', '||', '.', '..', '...', '?', '?=',
  'case', 'of', 'end', 'if', 'receive', 'after', 'try', 'catch', 'fun', 'when', 'begin', 'andalso', 'orelse', 'not', 'bnot', 'div', 'rem', 'band',
  'and', 'or', 'xor', 'bsl', 'cond', 'spec', 'type', 'record', 'module', 'export', 'define', 'ifdef', 'else', 'endif', 'include', 'unit', 'binary',
  '-module(m).', '-define(M, 1).', '?M', '?MODULE', '?LINE', '??', '%', '\n', '`', '@', '¡', 'ő', '\u{1F600}',
];


/** A few characters, tokens or repeats inserted or removed. */
export function mutate(s: string, rand: () => number): string {
  const chars = [...s];
  const n = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rand() * (chars.length + 1));
    switch (Math.floor(rand() * 4)) {
      case 0:
        chars.splice(at, 1);
        break;
      case 1:
        chars.splice(at, 0, VOCAB[Math.floor(rand() * VOCAB.length)]);
        break;
      case 2:
        chars.splice(at, 0, String.fromCodePoint(Math.floor(rand() * 0x180)));
        break;
      default: {
        const len = Math.floor(rand() * 8);
        chars.splice(at, 0, ...chars.slice(Math.max(0, at - len), at));
      }
    }
  }
  return chars.join('');
}

