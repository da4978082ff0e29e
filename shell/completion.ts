// Tab completion, as erl's edlin_expand does it: look at the word before the cursor, decide whether
// it names a module (`lis` → `lists:`), a function of a module (`lists:rev` → `lists:reverse(`), or
// (terl, like OTP 26) a bound variable or a shell command; then insert the longest common part of the
// candidates, or list them in erl's columns when they share nothing more than what was typed.
//
// Pure logic. The candidates come from the node (the `complete` message of src/bridge.ts), one string
// each:  `name/arity` a function (of the module in the query, or a shell command for a bare word),
//        `Name` or `_Name` a bound variable, any other word a module. A `mod:` before a function name
//        is accepted and dropped. The node may send more than match; only those with the prefix count.

import { isWordChar } from './editor.js';

export type Context =
  /** a module name (the word, then `sep` when complete: ':' normally, ',' in `h(` and after a comma) */
  | { kind: 'module'; word: string; sep: string }
  /** a function of `module` (complete adds `sep`: '(' normally, ',' in `h(Mod, `) */
  | { kind: 'function'; module: string; word: string; sep: string }
  /** a variable bound in the shell */
  | { kind: 'variable'; word: string };

export interface Match {
  name: string;
  /** a function's arity, shown as name/arity */
  arity?: number;
  kind: 'module' | 'function' | 'variable';
}

export interface Expansion {
  /** false: erl beeps (nothing matched, or nothing in common to insert) */
  found: boolean;
  /** text to insert at the cursor */
  insert: string;
  /** candidates to list under the line (empty: list nothing) */
  matches: Match[];
}

/** What to complete for the text before the cursor, or null when there is nothing to ask about. */
export function completionContext(before: string): Context | null {
  const [bef1, word] = overWord(before);
  const bef2 = trimWhite(bef1);
  if (bef2.endsWith(',')) {
    // `h(lists, rev` completes a function of lists (for help); after any other comma, a module
    const [bef4, mod] = overWord(trimWhite(bef2.slice(0, -1)));
    if (helpCall(bef4)) return { kind: 'function', module: mod, word, sep: ',' };
    return moduleOrVariable(word, ',');
  }
  if (bef2.endsWith(':')) {
    const [, mod] = overWord(trimWhite(bef2.slice(0, -1)));
    if (!isAtom(mod)) return null;
    return { kind: 'function', module: mod, word, sep: '(' };
  }
  return moduleOrVariable(word, helpCall(bef1) ? ',' : ':');
}

function moduleOrVariable(word: string, sep: string): Context | null {
  if (word === '') return null; // erl beeps at Tab after nothing
  if (/^[A-Z_]/.test(word)) return { kind: 'variable', word };
  return { kind: 'module', word, sep };
}

/** The prefix the node is asked about (`lists:rev`, `lis`, `Va`). */
export function queryPrefix(ctx: Context): string {
  return ctx.kind === 'function' ? `${ctx.module}:${ctx.word}` : ctx.word;
}

/** Turn the node's candidate strings into matches for the context (those not matching are dropped). */
export function parseCandidates(ctx: Context, candidates: readonly string[]): Match[] {
  const out: Match[] = [];
  const seen = new Set<string>();
  for (let c of candidates) {
    let m: Match;
    const fa = /^(.*)\/(\d+)$/.exec(c);
    if (fa) {
      let name = fa[1]!;
      const colon = name.lastIndexOf(':');
      if (colon > 0 && !name.startsWith("'")) name = name.slice(colon + 1);
      m = { name, arity: Number(fa[2]), kind: 'function' };
    } else if (/^[A-Z_]/.test(c)) {
      m = { name: c, kind: 'variable' };
    } else {
      if (c.endsWith(':')) c = c.slice(0, -1);
      m = { name: c, kind: 'module' };
    }
    // a function context takes functions only; a module word takes modules and shell commands
    if (ctx.kind === 'function' && m.kind !== 'function') continue;
    if (ctx.kind === 'variable' && m.kind !== 'variable') continue;
    if (ctx.kind === 'module' && m.kind === 'variable') continue;
    if (!m.name.startsWith(ctx.word)) continue;
    const key = `${m.kind} ${m.name}/${m.arity ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

/** edlin_expand's match/3: what to insert, and what to list, for these candidates. */
export function expand(ctx: Context, candidates: readonly string[]): Expansion {
  const matches = parseCandidates(ctx, candidates).sort(compareMatches);
  if (matches.length === 0) return { found: false, insert: '', matches: [] };
  const prefixLen = Array.from(ctx.word).length;
  const head = longestCommonHead(matches.map((m) => m.name));
  if (!head.complete) {
    const common = Array.from(head.text);
    if (common.length === 0) return { found: false, insert: '', matches };
    const remain = common.slice(prefixLen).join('');
    return remain === '' ? { found: true, insert: '', matches } : { found: true, insert: remain, matches: [] };
  }
  return { found: true, insert: Array.from(head.text).slice(prefixLen).join('') + completeChar(ctx, matches), matches: [] };
}

/** What follows a completed name: `:` after a module, `(` after a function (`()` for the only, 0-ary one). */
function completeChar(ctx: Context, matches: Match[]): string {
  if (ctx.kind === 'variable') return '';
  if (matches.every((m) => m.kind === 'function')) {
    if (ctx.kind === 'function' && ctx.sep !== '(') return ctx.sep;
    return matches.length === 1 && matches[0]!.arity === 0 ? '()' : '(';
  }
  if (matches.every((m) => m.kind === 'module')) return ctx.sep;
  return '';
}

/** The column the candidates are laid out in: erl's line length. */
const LINE_LENGTH = 79;

/**
 * edlin_expand's format_matches/1: the candidates in columns as wide as the longest name plus 4,
 * as many as fit in 79 characters, each row ending in a newline; the whole starts with a newline.
 */
export function formatMatches(matches: readonly Match[]): string {
  const sorted = [...matches].sort(compareMatches);
  const first = formatColumns(sorted);
  let body = first.text;
  if (first.dots) {
    // names too long for a line: drop their common prefix (when longer than 3) in favour of "..."
    const prefix = Array.from(longestCommonHead(sorted.map((m) => m.name)).text);
    if (prefix.length > 3) {
      const dotted = sorted.map((m) => ({ ...m, name: '...' + Array.from(m.name).slice(prefix.length).join('') }));
      body = formatColumns(dotted.sort(compareMatches)).text;
    }
  }
  return '\n' + body;
}

function formatColumns(items: readonly Match[]): { text: string; dots: boolean } {
  if (items.length === 0) return { text: '', dots: false };
  let widest = 0;
  for (const m of items) widest = Math.max(widest, len(m.name));
  const width = widest < LINE_LENGTH - 3 ? widest + 4 : LINE_LENGTH;
  let out = '';
  let col = 0;
  let dots = false;
  for (const m of items) {
    if (width + col > LINE_LENGTH) {
      out += '\n';
      col = 0;
    }
    const suffix = m.arity === undefined ? '' : `/${m.arity}`;
    const hmax = LINE_LENGTH - suffix.length;
    let name = m.name;
    if (len(name) > hmax) {
      name = pad(name, hmax - 3) + '...';
      dots = true;
    }
    out += pad(name + suffix, width);
    col += width;
  }
  // erl checks for a full row before looking at what is left, so a full last row gets an empty one after it
  if (width + col > LINE_LENGTH) out += '\n';
  return { text: out + '\n', dots };
}

/** io_lib's `~-*ts`: left-justified in exactly `width` characters (cut when longer). */
function pad(s: string, width: number): string {
  const cs = Array.from(s);
  return cs.length >= width ? cs.slice(0, width).join('') : s + ' '.repeat(width - cs.length);
}

function len(s: string): number {
  return Array.from(s).length;
}

/** Term order of {Name, Arity} tuples as erl sorts them: by name (code points), then arity. */
function compareMatches(a: Match, b: Match): number {
  const c = compareCodePoints(a.name, b.name);
  if (c !== 0) return c;
  return (a.arity ?? -1) - (b.arity ?? -1);
}

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The longest common prefix; complete when every name is the same whole name. */
function longestCommonHead(names: readonly string[]): { text: string; complete: boolean } {
  const lists = names.map((n) => Array.from(n));
  const head: string[] = [];
  for (let i = 0; ; i++) {
    if (lists.some((l) => i >= l.length)) {
      const complete = lists.every((l) => l.length === i);
      return { text: head.join(''), complete };
    }
    const c = lists[0]![i]!;
    if (lists.some((l) => l[i] !== c)) return { text: head.join(''), complete: false };
    head.push(c);
  }
}

/**
 * edlin's over_word, on text that is not reversed: split `before` into what precedes the word at
 * its end and the word. A quoted atom (an odd number of quotes before the cursor: an open one) counts
 * as one word from its opening quote.
 */
export function overWord(before: string): [string, string] {
  const quotes = before.split("'").length - 1;
  if (quotes % 2 === 1) {
    const q = before.lastIndexOf("'");
    return [before.slice(0, q), before.slice(q)];
  }
  if (before.endsWith("'")) {
    const q = before.lastIndexOf("'", before.length - 2);
    return [before.slice(0, q), before.slice(q)];
  }
  const cs = Array.from(before);
  let i = cs.length;
  while (i > 0 && isWordChar(cs[i - 1]!)) i--;
  return [cs.slice(0, i).join(''), cs.slice(i).join('')];
}

function trimWhite(s: string): string {
  return s.replace(/[ \t]+$/, '');
}

/** Whether the text ends in `h(` — erl completes `h(Mod, Fun` for the help command. */
function helpCall(bef: string): boolean {
  if (!bef.endsWith('(')) return false;
  return overWord(bef.slice(0, -1))[1] === 'h';
}

function isAtom(s: string): boolean {
  return /^[a-zß-öø-ÿ][A-Za-z0-9_@À-ÖØ-ÿ]*$/.test(s) || /^'([^'\\]|\\.)+'$/.test(s);
}
