// A backtracking matcher for the patterns re_parse.ts reads, with PCRE's semantics (leftmost
// first, greedy/lazy/possessive repeats, atomic groups, lookaround, back references, recursion,
// conditions, \K). Nodes become closures in continuation-passing style: a matcher gets a position
// and the rest of the match as a continuation, and answers whether the whole match succeeded.
// Repeats of one character are loops (no stack per character); the subject is code points
// (bytes in byte mode), positions index it, and the caller maps them to byte offsets.

import { foldCase, isVSpace, escapeClass, type CharTest } from './re_chars.js';
import type { Newline, Node, Pattern } from './re_parse.js';

type Cont = (i: number) => boolean;
type Matcher = (i: number, k: Cont) => boolean;

export interface MatchOptions {
  anchored: boolean;
  notbol: boolean;
  noteol: boolean;
  notempty: boolean;
  notemptyAtstart: boolean;
  /** how many backtracking steps a match may take (PCRE's match_limit) */
  matchLimit: number;
}

/** Thrown when a match takes too many steps (match_limit) or more stack than there is (match_limit_recursion). */
export class MatchLimit extends Error {
  constructor(readonly kind: 'match_limit' | 'match_limit_recursion') {
    super(kind);
  }
}

interface State {
  s: ArrayLike<number>;
  n: number;
  caps: Int32Array;
  matchStart: number;
  startOffset: number;
  opts: MatchOptions;
  top: Cont;
  /** group numbers of the recursions under way, innermost last */
  recursions: number[];
  /** steps left before match_limit */
  budget: number;
}

export class Program {
  private readonly root: Matcher;
  private readonly bodies: Matcher[] = [];
  private st!: State;
  private readonly unicode: boolean;
  private readonly newline: Newline;
  private readonly dollarEndonly: boolean;
  private readonly bsrAnycrlf: boolean;
  private readonly isWord: CharTest;
  /** a character every match must start with, when there is one (to skip start positions fast) */
  private readonly first: number | undefined;
  private readonly anchoredAtStart: boolean;
  /** what the last exec examined: the start positions passed, the characters matched, the steps taken */
  examined = 0;

  constructor(readonly pattern: Pattern) {
    const o = pattern.options;
    this.unicode = o.unicode;
    this.newline = o.newline;
    this.dollarEndonly = o.dollarEndonly;
    this.bsrAnycrlf = o.bsrAnycrlf;
    this.isWord = escapeClass('w', { ucp: o.ucp });
    for (let g = 1; g <= pattern.groups; g++) {
      const node = pattern.groupNodes[g];
      if (node !== undefined && node.t === 'group') this.bodies[g] = this.compile(node.body);
    }
    this.root = this.compile(pattern.root);
    this.bodies[0] = this.root;
    this.first = firstChar(pattern.root);
    this.anchoredAtStart = startsAnchored(pattern.root);
  }

  /**
   * The first match at or after `from` (positions in code points): the captures as start/end
   * pairs (-1 when unset), group 0 first; undefined when there is none.
   */
  exec(s: ArrayLike<number>, from: number, opts: MatchOptions): Int32Array | undefined {
    const n = s.length;
    const caps = new Int32Array(2 * (this.pattern.groups + 1)).fill(-1);
    let end = -1;
    const st: State = {
      s,
      n,
      caps,
      matchStart: from,
      startOffset: from,
      opts,
      recursions: [],
      budget: opts.matchLimit,
      top: (j) => {
        if (j === st.matchStart && (opts.notempty || (opts.notemptyAtstart && st.matchStart === from))) return false;
        end = j;
        return true;
      },
    };
    this.st = st;
    const last = opts.anchored || this.anchoredAtStart ? from : n;
    let i = from;
    try {
      for (; i <= last; i++) {
        if (this.anchoredAtStart && i > 0) break;
        if (this.first !== undefined && last > from) {
          while (i < n && s[i] !== this.first) i++;
          if (i >= n) break;
        }
        caps.fill(-1);
        st.matchStart = i;
        if (this.root(i, st.top)) {
          caps[0] = st.matchStart;
          caps[1] = end;
          return caps;
        }
      }
    } catch (e) {
      if (e instanceof RangeError) throw new MatchLimit('match_limit_recursion');
      throw e;
    } finally {
      this.examined = Math.min(i, n) - from + Math.max(end - st.matchStart, 0) + (opts.matchLimit - st.budget);
    }
    return undefined;
  }

  private step(): void {
    if (--this.st.budget < 0) throw new MatchLimit('match_limit');
  }

  // ---------- newlines ----------

  /** The length of the newline sequence starting at i (0 when none). */
  private nlAt(i: number): number {
    const { s, n } = this.st;
    if (i >= n) return 0;
    const c = s[i];
    switch (this.newline) {
      case 'lf':
        return c === 10 ? 1 : 0;
      case 'cr':
        return c === 13 ? 1 : 0;
      case 'crlf':
        return c === 13 && i + 1 < n && s[i + 1] === 10 ? 2 : 0;
      case 'anycrlf':
        if (c === 13) return i + 1 < n && s[i + 1] === 10 ? 2 : 1;
        return c === 10 ? 1 : 0;
      case 'any':
        if (c === 13) return i + 1 < n && s[i + 1] === 10 ? 2 : 1;
        return c === 10 || c === 11 || c === 12 || c === 0x85 || c === 0x2028 || c === 0x2029 ? 1 : 0;
    }
  }

  /** Does a newline sequence end just before i? */
  private nlBefore(i: number): boolean {
    const { s } = this.st;
    if (i <= 0) return false;
    const c = s[i - 1];
    switch (this.newline) {
      case 'lf':
        return c === 10;
      case 'cr':
        return c === 13;
      case 'crlf':
        return c === 10 && i >= 2 && s[i - 2] === 13;
      case 'anycrlf':
        return c === 10 || (c === 13 && !(i < this.st.n && s[i] === 10));
      case 'any':
        if (c === 13) return !(i < this.st.n && s[i] === 10);
        return c === 10 || c === 11 || c === 12 || c === 0x85 || c === 0x2028 || c === 0x2029;
    }
  }

  // ---------- compiling nodes to matchers ----------

  /** A test on one character, for the nodes that match exactly one. */
  private single(node: Node): ((c: number, i: number) => boolean) | undefined {
    switch (node.t) {
      case 'char': {
        if (!node.ci) {
          const c0 = node.c;
          return (c) => c === c0;
        }
        const f = foldCase(node.c, this.unicode);
        const u = this.unicode;
        return (c) => c === node.c || foldCase(c, u) === f;
      }
      case 'any':
        if (node.dotall) return () => true;
        return (_c, i) => this.nlAt(i) === 0;
      case 'set':
        return node.test;
    }
    return undefined;
  }

  private compile(node: Node): Matcher {
    const single = this.single(node);
    if (single !== undefined) {
      return (i, k) => i < this.st.n && single(this.st.s[i], i) && k(i + 1);
    }
    switch (node.t) {
      case 'empty':
        return (i, k) => k(i);
      case 'seq':
        return this.sequence(node.items);
      case 'alt': {
        const alts = node.alts.map((a) => this.compile(a));
        return (i, k) => {
          for (const a of alts) {
            this.step();
            if (a(i, k)) return true;
          }
          return false;
        };
      }
      case 'group':
        return this.capture(node.index, this.compile(node.body));
      case 'repeat':
        return this.repeat(node);
      case 'bol':
        return (i, k) => {
          const st = this.st;
          if (i === 0) return !st.opts.notbol && k(i);
          return node.multiline && i < st.n && this.nlBefore(i) && k(i);
        };
      case 'eol':
        return (i, k) => {
          const st = this.st;
          if (node.multiline) {
            if (i === st.n) return !st.opts.noteol && k(i);
            return this.nlAt(i) > 0 && k(i);
          }
          if (st.opts.noteol) return false;
          if (i === st.n) return k(i);
          return !this.dollarEndonly && this.nlAt(i) > 0 && i + this.nlAt(i) === st.n && k(i);
        };
      case 'start':
        return (i, k) => i === 0 && k(i);
      case 'end':
        return (i, k) => {
          const n = this.st.n;
          if (i === n) return k(i);
          return node.beforeNewline && this.nlAt(i) > 0 && i + this.nlAt(i) === n && k(i);
        };
      case 'startOffset':
        return (i, k) => i === this.st.startOffset && k(i);
      case 'wordb':
        return (i, k) => {
          const { s, n } = this.st;
          const a = i > 0 && this.isWord(s[i - 1]);
          const b = i < n && this.isWord(s[i]);
          return (a !== b) !== node.neg && k(i);
        };
      case 'look':
        return node.behind ? this.lookbehind(node) : this.lookahead(node.body, node.neg);
      case 'atomic': {
        const body = this.compile(node.body);
        return (i, k) => this.atomic(body, i, k);
      }
      case 'backref':
        return this.backref(node.index, node.ci);
      case 'cond':
        return this.conditional(node);
      case 'recurse': {
        const index = node.index;
        return (i, k) => this.recurse(index, i, k);
      }
      case 'keep':
        return (i, k) => {
          const st = this.st;
          const old = st.matchStart;
          st.matchStart = i;
          if (k(i)) return true;
          st.matchStart = old;
          return false;
        };
      case 'newlineSeq':
        return (i, k) => {
          const { s, n } = this.st;
          if (i >= n) return false;
          const c = s[i];
          if (c === 13 && i + 1 < n && s[i + 1] === 10) return k(i + 2);
          const ok = this.bsrAnycrlf ? c === 10 || c === 13 : isVSpace(c);
          return ok && k(i + 1);
        };
      case 'fail':
        return () => false;
      case 'accept':
        return (i) => this.st.top(i);
    }
    throw new Error(`re: no matcher for ${node.t}`);
  }

  private sequence(items: Node[]): Matcher {
    // runs of plain characters are compared at once
    const parts: Matcher[] = [];
    for (let j = 0; j < items.length; ) {
      const it = items[j];
      if (it.t === 'char' && !it.ci) {
        const run: number[] = [];
        while (j < items.length) {
          const x = items[j];
          if (x.t !== 'char' || x.ci) break;
          run.push(x.c);
          j++;
        }
        if (run.length > 1) {
          parts.push((i, k) => {
            const { s, n } = this.st;
            if (i + run.length > n) return false;
            for (let q = 0; q < run.length; q++) if (s[i + q] !== run[q]) return false;
            return k(i + run.length);
          });
          continue;
        }
        parts.push(this.compile(it));
        continue;
      }
      parts.push(this.compile(it));
      j++;
    }
    if (parts.length === 1) return parts[0];
    let m = parts[parts.length - 1];
    for (let q = parts.length - 2; q >= 0; q--) {
      const a = parts[q];
      const b = m;
      m = (i, k) => a(i, (j) => b(j, k));
    }
    return m;
  }

  private capture(index: number, body: Matcher): Matcher {
    return (i, k) => {
      const caps = this.st.caps;
      const os = caps[2 * index];
      const oe = caps[2 * index + 1];
      if (
        body(i, (j) => {
          const ps = caps[2 * index];
          const pe = caps[2 * index + 1];
          caps[2 * index] = i;
          caps[2 * index + 1] = j;
          if (k(j)) return true;
          caps[2 * index] = ps;
          caps[2 * index + 1] = pe;
          return false;
        })
      ) {
        return true;
      }
      caps[2 * index] = os;
      caps[2 * index + 1] = oe;
      return false;
    };
  }

  private repeat(node: Extract<Node, { t: 'repeat' }>): Matcher {
    const { min, max, mode } = node;
    const single = this.single(node.body);
    if (single !== undefined) {
      if (mode === 'lazy') {
        return (i, k) => {
          const { s, n } = this.st;
          let j = i;
          for (let c = 0; c < min; c++) {
            if (j < n && single(s[j], j)) j++;
            else return false;
          }
          for (;;) {
            this.step();
            if (k(j)) return true;
            if (j - i >= max || j >= n || !single(s[j], j)) return false;
            j++;
          }
        };
      }
      return (i, k) => {
        const { s, n } = this.st;
        const limit = max === Infinity ? n : Math.min(n, i + max);
        let j = i;
        while (j < limit && single(s[j], j)) j++;
        if (j - i < min) return false;
        if (mode === 'possessive') return k(j);
        for (; j >= i + min; j--) {
          this.step();
          if (k(j)) return true;
        }
        return false;
      };
    }
    const body = this.compile(node.body);
    if (mode === 'possessive') {
      const greedy = this.repeatLoop(body, min, max, false);
      return (i, k) => this.atomic(greedy, i, k);
    }
    return this.repeatLoop(body, min, max, mode === 'lazy');
  }

  /** A repeat of any body: an iteration that matches nothing ends the loop, as in PCRE. */
  private repeatLoop(body: Matcher, min: number, max: number, lazy: boolean): Matcher {
    const loop = (i: number, count: number, k: Cont): boolean => {
      this.step();
      if (lazy) {
        if (count >= min && k(i)) return true;
        return count < max && body(i, (j) => (j === i ? count + 1 >= min && k(j) : loop(j, count + 1, k)));
      }
      if (count < max && body(i, (j) => (j === i ? k(j) : loop(j, count + 1, k)))) return true;
      return count >= min && k(i);
    };
    return (i, k) => loop(i, 0, k);
  }

  private atomic(body: Matcher, i: number, k: Cont): boolean {
    const caps = this.st.caps;
    const saved = caps.slice();
    let end = -1;
    if (
      !body(i, (j) => {
        end = j;
        return true;
      })
    ) {
      caps.set(saved);
      return false;
    }
    if (k(end)) return true;
    caps.set(saved);
    return false;
  }

  private lookahead(node: Node, neg: boolean): Matcher {
    const body = this.compile(node);
    return (i, k) => {
      const st = this.st;
      const saved = st.caps.slice();
      const keep = st.matchStart;
      const ok = body(i, () => true);
      st.matchStart = keep;
      return this.asserted(ok, neg, saved, i, k);
    };
  }

  private lookbehind(node: Extract<Node, { t: 'look' }>): Matcher {
    const alts = node.body.t === 'alt' ? node.body.alts : [node.body];
    const matchers = alts.map((a) => this.compile(a));
    const lengths = node.lengths!;
    return (i, k) => {
      const saved = this.st.caps.slice();
      let ok = false;
      for (let a = 0; a < matchers.length && !ok; a++) {
        const from = i - lengths[a];
        if (from >= 0) ok = matchers[a](from, (j) => j === i);
      }
      return this.asserted(ok, node.neg, saved, i, k);
    };
  }

  /** After an assertion's body: go on if it held (or did not, negated); a negative one keeps no captures. */
  private asserted(ok: boolean, neg: boolean, saved: Int32Array, i: number, k: Cont): boolean {
    const caps = this.st.caps;
    if (neg) {
      caps.set(saved);
      return !ok && k(i);
    }
    if (!ok) return false;
    if (k(i)) return true;
    caps.set(saved);
    return false;
  }

  private backref(index: number, ci: boolean): Matcher {
    return (i, k) => {
      const { s, n, caps } = this.st;
      const a = caps[2 * index];
      const b = caps[2 * index + 1];
      if (a < 0) return false;
      const len = b - a;
      if (i + len > n) return false;
      for (let q = 0; q < len; q++) {
        const x = s[a + q];
        const y = s[i + q];
        if (x !== y && !(ci && foldCase(x, this.unicode) === foldCase(y, this.unicode))) return false;
      }
      return k(i + len);
    };
  }

  private conditional(node: Extract<Node, { t: 'cond' }>): Matcher {
    const yes = this.compile(node.yes);
    const no = this.compile(node.no);
    const cond = node.cond;
    if (cond.t === 'assert') {
      const look = cond.look as Extract<Node, { t: 'look' }>;
      const test = look.behind ? this.lookbehind(look) : this.lookahead(look.body, look.neg);
      return (i, k) => (test(i, () => true) ? yes(i, k) : no(i, k));
    }
    return (i, k) => {
      const st = this.st;
      let holds: boolean;
      if (cond.t === 'group') holds = st.caps[2 * cond.index] >= 0;
      else if (cond.t === 'define') holds = false;
      else {
        const r = st.recursions;
        holds = r.length > 0 && (cond.index === undefined || r[r.length - 1] === cond.index);
      }
      return holds ? yes(i, k) : no(i, k);
    };
  }

  /** (?R), (?n), (?&name): the group's pattern here, atomically, its captures undone after (PCRE 8). */
  private recurse(index: number, i: number, k: Cont): boolean {
    const st = this.st;
    const body = this.bodies[index];
    const saved = st.caps.slice();
    st.recursions.push(index);
    let end = -1;
    const top = st.top;
    let ok: boolean;
    try {
      ok = body(i, (j) => {
        end = j;
        return true;
      });
    } finally {
      st.recursions.pop();
      st.top = top;
    }
    st.caps.set(saved);
    if (!ok) return false;
    return k(end);
  }
}

/** A character every match must begin with (case-sensitive), if the pattern has one. */
function firstChar(n: Node): number | undefined {
  switch (n.t) {
    case 'char':
      return n.ci ? undefined : n.c;
    case 'seq':
      for (const it of n.items) {
        if (it.t === 'keep' || it.t === 'look' || it.t === 'wordb' || it.t === 'bol' || it.t === 'eol' || it.t === 'start') return undefined;
        return firstChar(it);
      }
      return undefined;
    case 'group':
    case 'atomic':
      return firstChar(n.body);
    case 'repeat':
      return n.min > 0 ? firstChar(n.body) : undefined;
    case 'alt': {
      const cs = n.alts.map(firstChar);
      return cs.every((c) => c !== undefined && c === cs[0]) ? cs[0] : undefined;
    }
  }
  return undefined;
}

/** Does every match start at the subject's start (\A, or ^ outside multiline)? */
function startsAnchored(n: Node): boolean {
  switch (n.t) {
    case 'start':
      return true;
    case 'bol':
      return !n.multiline;
    case 'seq':
      return n.items.length > 0 && startsAnchored(n.items[0]);
    case 'group':
    case 'atomic':
      return startsAnchored(n.body);
    case 'alt':
      return n.alts.every(startsAnchored);
  }
  return false;
}
