// Character classes for re as OTP's PCRE sees them. Below 256 PCRE uses OTP's ISO-8859-1 tables,
// in both byte and unicode mode (so é is a letter and a word character, and É its other case);
// above, only the unicode mode's Unicode properties apply (\w, \d, \s and the POSIX classes stay
// ASCII/Latin-1 unless ucp is given, as in PCRE).

export type CharTest = (c: number) => boolean;

function inRanges(c: number, ranges: readonly number[]): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (c >= ranges[i] && c <= ranges[i + 1]) return true;
  return false;
}

// ---------- the Latin-1 tables (for code points below 256) ----------

const UPPER = [65, 90, 192, 214, 216, 222];
const LOWER = [97, 122, 170, 170, 181, 181, 186, 186, 223, 246, 248, 255];
const DIGIT = [48, 57];
const SPACE = [9, 13, 32, 32];
const PUNCT = [33, 47, 58, 64, 91, 96, 123, 126, 160, 169, 171, 180, 182, 185, 187, 191, 215, 215, 247, 247];

const latin1 = {
  upper: (c: number) => inRanges(c, UPPER),
  lower: (c: number) => inRanges(c, LOWER),
  alpha: (c: number) => inRanges(c, UPPER) || inRanges(c, LOWER),
  digit: (c: number) => c >= 48 && c <= 57,
  alnum: (c: number) => inRanges(c, UPPER) || inRanges(c, LOWER) || inRanges(c, DIGIT),
  word: (c: number) => c === 95 || inRanges(c, UPPER) || inRanges(c, LOWER) || inRanges(c, DIGIT),
  space: (c: number) => inRanges(c, SPACE),
  punct: (c: number) => inRanges(c, PUNCT),
  print: (c: number) => (c >= 32 && c <= 126) || (c >= 160 && c <= 255),
  graph: (c: number) => (c >= 33 && c <= 126) || (c >= 160 && c <= 255),
  cntrl: (c: number) => c <= 31 || (c >= 127 && c <= 159),
  xdigit: (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  blank: (c: number) => c === 9 || c === 32,
  ascii: (c: number) => c <= 127,
};

export type PosixName = keyof typeof latin1;
export const POSIX_NAMES: readonly string[] = Object.keys(latin1);

// ---------- Unicode properties, through JS's \p{...} ----------

const propertyCache = new Map<string, RegExp | null>();

function jsProperty(name: string): RegExp | null {
  let re = propertyCache.get(name);
  if (re === undefined) {
    try {
      re = new RegExp(`^\\p{${name}}$`, 'u');
    } catch {
      re = null;
    }
    propertyCache.set(name, re);
  }
  return re;
}

function hasProperty(name: string, c: number): boolean {
  const re = jsProperty(name);
  return re !== null && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff) && re.test(String.fromCodePoint(c));
}

const GENERAL_CATEGORIES = new Set(
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

const H_SPACE = [0x09, 0x09, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x180e, 0x180e, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000];
const V_SPACE = [0x0a, 0x0d, 0x85, 0x85, 0x2028, 0x2029];

export const isHSpace: CharTest = (c) => inRanges(c, H_SPACE);
export const isVSpace: CharTest = (c) => inRanges(c, V_SPACE);

/** \p{Name}: a general category, L&, Any, PCRE's Xan/Xps/Xsp/Xwd/Xuc, or a script; undefined if unknown. */
export function unicodeProperty(name: string): CharTest | undefined {
  if (name === 'Any') return () => true;
  if (name === 'L&') return (c) => hasProperty('Lu', c) || hasProperty('Ll', c) || hasProperty('Lt', c);
  if (name === 'Xan') return (c) => hasProperty('L', c) || hasProperty('N', c);
  if (name === 'Xps' || name === 'Xsp') return (c) => hasProperty('Z', c) || inRanges(c, [9, 13]);
  if (name === 'Xwd') return (c) => hasProperty('L', c) || hasProperty('N', c) || c === 95;
  if (name === 'Xuc') return (c) => c === 0x24 || c === 0x40 || c === 0x60 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0x10ffff);
  if (GENERAL_CATEGORIES.has(name)) {
    if (name === 'Cn') return (c) => !hasProperty('Any', c) || hasProperty('Cn', c);
    return (c) => hasProperty(name, c);
  }
  if (/^[A-Z][A-Za-z_]*$/.test(name) && jsProperty(`Script=${name}`) !== null) return (c) => hasProperty(`Script=${name}`, c);
  return undefined;
}

export interface ClassMode {
  /** Unicode properties for \w, \d, \s and POSIX classes (the ucp option) */
  ucp: boolean;
}

/** \d \w \s (and their capitals are the negations), by mode. */
export function escapeClass(letter: 'd' | 'w' | 's', mode: ClassMode): CharTest {
  if (mode.ucp) {
    if (letter === 'd') return (c) => hasProperty('Nd', c);
    if (letter === 'w') return (c) => c === 95 || hasProperty('L', c) || hasProperty('N', c);
    return (c) => hasProperty('Z', c) || isHSpace(c) || isVSpace(c);
  }
  const t = letter === 'd' ? latin1.digit : letter === 'w' ? latin1.word : latin1.space;
  return (c) => c < 256 && t(c);
}

/** [:name:] inside a class, by mode; undefined for an unknown name. */
export function posixClass(name: string, mode: ClassMode): CharTest | undefined {
  if (!(name in latin1)) return undefined;
  const t = latin1[name as PosixName];
  if (mode.ucp) {
    switch (name) {
      case 'alpha':
        return (c) => hasProperty('L', c);
      case 'lower':
        return (c) => hasProperty('Ll', c);
      case 'upper':
        return (c) => hasProperty('Lu', c);
      case 'alnum':
        return (c) => hasProperty('L', c) || hasProperty('N', c);
      case 'digit':
        return (c) => hasProperty('Nd', c);
      case 'space':
        return (c) => hasProperty('Z', c) || inRanges(c, [9, 13]);
      case 'word':
        return (c) => c === 95 || hasProperty('L', c) || hasProperty('N', c);
      case 'punct':
        return (c) => hasProperty('P', c) || (c < 128 && hasProperty('S', c));
      case 'graph':
        return (c) => !(hasProperty('Z', c) || hasProperty('C', c));
      case 'print':
        return (c) => !hasProperty('C', c) || c === 32;
    }
  }
  return (c) => c < 256 && t(c);
}

/** The characters that are the same but for case (c itself first). */
export function otherCases(c: number, unicode: boolean): number[] {
  if (c < 256) {
    if ((c >= 65 && c <= 90) || (c >= 192 && c <= 222 && c !== 215)) return [c, c + 32];
    if ((c >= 97 && c <= 122) || (c >= 224 && c <= 254 && c !== 247)) {
      const out = [c, c - 32];
      // beyond Latin-1, in unicode mode: ÿ and Ÿ, µ and Μ
      if (unicode && c === 255) out.push(0x178);
      return out;
    }
    if (unicode && c === 181) return [c, 0x39c, 0x3bc];
    return [c];
  }
  if (!unicode) return [c];
  const s = String.fromCodePoint(c);
  const out = [c];
  for (const v of [s.toLowerCase(), s.toUpperCase()]) {
    const cp = v.codePointAt(0)!;
    if ([...v].length === 1 && !out.includes(cp)) out.push(cp);
  }
  return out;
}

/** One canonical case of c, for comparing caselessly. */
export function foldCase(c: number, unicode: boolean): number {
  const cases = otherCases(c, unicode);
  let m = cases[0];
  for (const x of cases) if (x < m) m = x;
  return m;
}
