// ~p: the io_lib_pretty layout, rule for rule, so line breaks and indentation match erl.
//
// Two passes, as in OTP: `measure` turns the term into a tree of nodes that know their
// one-line text length (depth limits applied, strings recognised, records named); `pp` then
// writes each node on one line when it fits, else breaks it. Columns are 1-based.
// `chooseTupleIndent` first probes which indentation tagged tuples and records may use (OTP's
// cind): none, 4, or 1 when neither keeps the text within the line.
//
// The output is the deep character list io_lib_pretty returns (deep.ts), element for element,
// so io_lib:print/format results have OTP's shape; prettyPrint flattens it to a string.
//
// Lengths count characters (code points). The optional line_max_chars (M) caps how many
// characters one line may hold; the shell passes 60, io:format passes none (-1 = the total).

import { Atom, Bin, ErlMap, List, NIL, Term, Tuple } from '../../../vm/term.js';
import {
  Encoding,
  charLength,
  charsLength,
  isPrintableLatin1Char,
  isPrintableUnicodeChar,
  printableList,
  quoteChars,
  writeAtom,
} from './chars.js';
import type { PrettyOptions } from './term.js';
import { formatInteger, mapEntries, writeBinaryBody, writeDeep, writeTerm } from './term.js';
import { Deep, DeepList, flatten, prettyChars, tail } from './deep.js';

// ---------- the measured tree ----------

/** The tail of a sequence: proper end, "..." (depth reached), or an improper list tail. */
type Tail = null | 'dots' | Node;

type Node =
  /** text that is always written as it is (atomic in OTP's sense: it never breaks) */
  | { k: 'text'; s: Deep; len: number }
  /** a binary written as bytes (io_lib's body list: "1", $,, "2", ...); may break between bytes */
  | { k: 'bin'; body: Array<number | string>; len: number }
  | { k: 'list'; items: Node[]; tail: Tail; len: number }
  | { k: 'tuple'; tagged: boolean; items: Node[]; tail: Tail; len: number }
  | { k: 'map'; items: Node[]; tail: Tail; len: number }
  | { k: 'pair'; key: Node; value: Node; len: number }
  | { k: 'record'; name: string; nameLen: number; items: Node[]; tail: Tail; len: number }
  | { k: 'field'; name: string; nameLen: number; value: Node; len: number };

function text(s: string, len = charsLength(s)): Node {
  return { k: 'text', s, len };
}

/** Text with OTP's own nesting (printable binaries), of a known length. */
function deepText(s: Deep, len: number): Node {
  return { k: 'text', s, len };
}

/** OTP's ?ATM: nodes that are plain text. */
function isText(n: Node): boolean {
  return n.k === 'text';
}

function pairIsText(n: Node): boolean {
  return n.k === 'pair' && isText(n.key) && isText(n.value);
}

function fieldIsText(n: Node): boolean {
  return n.k === 'field' && isText(n.value);
}

/** Length of a sequence written with separators: base + items + one separator each after the first. */
function seqLength(items: Node[], tail: Tail, base: number): number {
  let len = base;
  for (let i = 0; i < items.length; i++) len += items[i].len + (i > 0 ? 1 : 0);
  if (tail !== null) {
    const tl = tail === 'dots' ? 3 : tail.len;
    len += tl + (items.length > 0 ? 1 : 0);
  }
  return len;
}

interface Ctx {
  enc: Encoding;
  range: Encoding;
  strings: boolean;
  opts: PrettyOptions;
}

/** CHARS printable characters of a binary count as one level of depth. */
const CHARS_PER_DEPTH = 4;

function measure(t: Term, d: number, cx: Ctx): Node {
  if (t === NIL) return text('[]');
  if (t instanceof Tuple && t.elements.length === 0) return text('{}');
  if (t instanceof ErlMap && t.size === 0) return text('#{}');
  if (t instanceof Atom) return text(writeAtom(t, cx.enc));
  if (t instanceof List) return measureList(t, d, cx);
  if (t instanceof Tuple) {
    const tag = t.elements[0];
    if (tag instanceof Atom && cx.opts.recordDefs) {
      const fields = cx.opts.recordDefs(tag, t.elements.length - 1);
      if (fields !== undefined && fields.length === t.elements.length - 1) return measureRecord(t, fields, d, cx);
    }
    return measureTuple(t, d, cx);
  }
  if (t instanceof ErlMap) return measureMap(t, d, cx);
  if (t instanceof Bin) return measureBin(t, d, cx);
  if (typeof t === 'number') {
    // an integer's digits: one character each
    const s = formatInteger(t);
    return text(s, s.length);
  }
  return text(writeTerm(t, cx.opts));
}

function measureList(l: List, d: number, cx: Ctx): Node {
  if (cx.strings && d !== 1) {
    const cps = cx.enc === 'latin1' ? printableList(l, 'latin1') : printableList(l, cx.range);
    if (cps !== undefined) return text(quoteChars(cps, '"'));
  }
  const items: Node[] = [];
  let tail: Tail = null;
  let rest: Term = l;
  let dd = d;
  for (;;) {
    if (rest === NIL) break;
    if (dd === 1) {
      tail = 'dots';
      break;
    }
    if (rest instanceof List) {
      items.push(measure(rest.head, dd - 1, cx));
      rest = rest.tail;
      dd--;
    } else {
      tail = measure(rest, dd - 1, cx);
      break;
    }
  }
  return { k: 'list', items, tail, len: seqLength(items, tail, 2) };
}

function measureTuple(t: Tuple, d: number, cx: Ctx): Node {
  if (d === 1) return text('{...}');
  const es = t.elements;
  const items: Node[] = [];
  let tail: Tail = null;
  let dd = d;
  for (let i = 0; i < es.length; i++) {
    if (dd === 1) {
      tail = 'dots';
      break;
    }
    items.push(measure(es[i], dd - 1, cx));
    dd--;
  }
  const tagged = es[0] instanceof Atom && es.length > 1;
  return { k: 'tuple', tagged, items, tail, len: seqLength(items, tail, 2) };
}

function measureMap(m: ErlMap, d: number, cx: Ctx): Node {
  if (d === 1) return text('#{...}');
  // the count of associations shrinks the depth; each key and value is measured at d - 1
  const d0 = d - 1;
  const items: Node[] = [];
  let tail: Tail = null;
  let dd = d;
  for (const [k, v] of mapEntries(m)) {
    if (dd === 1) {
      tail = 'dots';
      break;
    }
    const key = measure(k, d0, cx);
    const value = measure(v, d0, cx);
    items.push({ k: 'pair', key, value, len: key.len + 4 + value.len });
    dd--;
  }
  return { k: 'map', items, tail, len: seqLength(items, tail, 3) };
}

function measureRecord(t: Tuple, fields: Atom[], d: number, cx: Ctx): Node {
  if (d === 1) return text('{...}');
  const name = '#' + writeAtom(t.elements[0] as Atom, cx.enc);
  const nameLen = charsLength(name);
  const items: Node[] = [];
  let tail: Tail = null;
  let dd = d - 1;
  for (let i = 1; i < t.elements.length; i++) {
    if (dd === 1) {
      tail = 'dots';
      break;
    }
    const fname = writeAtom(fields[i - 1], cx.enc);
    const fnameLen = charsLength(fname) + 3;
    const value = measure(t.elements[i], dd - 1, cx);
    items.push({ k: 'field', name: fname, nameLen: fnameLen, value, len: fnameLen + value.len });
    dd--;
  }
  return { k: 'record', name, nameLen, items, tail, len: seqLength(items, tail, nameLen + 2) };
}

// ---------- binaries ----------

type Printable =
  /** all of it, as "<<"...">>" (ascii) or "<<"..."/utf8>>" */
  | { whole: true; latin1: boolean; cps: number[] }
  /** a printable prefix, then "..." */
  | { whole: false; latin1: boolean; cps: number[] }
  | undefined;

/** A binary's first k bytes, copied by hand: Array.from of a subarray goes through an iterator and a new typed array. */
function firstBytes(b: Bin, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(b.bytes[i]);
  return out;
}

/** Count of printable latin1 bytes from `start`, up to `n` of them. */
function printableRun(bytes: Uint8Array, start: number, n: number): number {
  let i = 0;
  while (i < n && isPrintableLatin1Char(bytes[start + i])) i++;
  return i;
}

function printableBinLatin1(b: Bin, len: number, d: number): Printable {
  const size = b.byteSize;
  const n = Math.min(20, len);
  const first = printableRun(b.bytes, 0, n);
  const bytes = (k: number): number[] => firstBytes(b, k);
  if (first === n) {
    if (n === size) return { whole: true, latin1: true, cps: bytes(n) };
    if (n === len) return { whole: false, latin1: true, cps: bytes(n) };
    // check the rest of the first `len` bytes
    const more = printableRun(b.bytes, n, len - n);
    if (n + more === len && size === len) return { whole: true, latin1: true, cps: bytes(size) };
    if (d > 0 && n + more >= d) return { whole: false, latin1: true, cps: bytes(n + more) };
    return undefined;
  }
  if (d > 0 && first >= d) return { whole: false, latin1: true, cps: bytes(first) };
  return undefined;
}

/** Decode one UTF-8 character at i: [codepoint, byte length] or undefined when invalid. */
function utf8At(bytes: Uint8Array, i: number): [number, number] | undefined {
  const b0 = bytes[i];
  if (b0 < 0x80) return [b0, 1];
  let n: number;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    cp = b0 & 0x07;
  } else return undefined;
  if (i + n > bytes.length) return undefined;
  for (let j = 1; j < n; j++) {
    const c = bytes[i + j];
    if ((c & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (c & 0x3f);
  }
  if ((n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff))) {
    return undefined;
  }
  return [cp, n];
}

function printableBinUnicode(b: Bin, len: number, d: number, range: Encoding): Printable {
  // the first `len` characters must be valid UTF-8, else the bytes are judged as latin1
  let i = 0;
  for (let k = 0; k < len && i < b.byteSize; k++) {
    const c = utf8At(b.bytes, i);
    if (c === undefined) return printableBinLatin1(b, len, d);
    i += c[1];
  }
  const ok = range === 'unicode' ? isPrintableUnicodeChar : isPrintableLatin1Char;
  const cps: number[] = [];
  let pos = 0;
  let left = len;
  while (left > 0 && pos < b.byteSize) {
    const c = utf8At(b.bytes, pos);
    if (c === undefined || !ok(c[0])) break;
    cps.push(c[0]);
    pos += c[1];
    left--;
  }
  if (pos === b.byteSize) return { whole: true, latin1: b.byteSize === cps.length, cps };
  if (d > 0 && len - left >= d) return { whole: false, latin1: pos === cps.length, cps };
  return undefined;
}

function measureBin(b: Bin, d: number, cx: Ctx): Node {
  if (b.bitSize === 0) return text('<<>>');
  if (d === 1) return text('<<...>>');
  if (cx.strings && b.bitSize % 8 === 0) {
    const d1 = d - 1;
    const len = d1 >= 0 ? Math.min(CHARS_PER_DEPTH * d1, b.byteSize) : b.byteSize;
    const p = len === 0 ? undefined : cx.enc === 'latin1' ? printableBinLatin1(b, len, d1) : printableBinUnicode(b, len, d1, cx.range);
    if (p !== undefined) {
      const s = quoteChars(p.cps, '"');
      // OTP counts the quoted text with length/1 when it is all bytes, else with chars_length/1
      const len = (p.latin1 ? charLength(s) : charsLength(s)) + 4 + (p.latin1 ? 0 : 5) + (p.whole ? 0 : 3);
      // shaped as io_lib_pretty builds it: [$<,$<,S,$>,$>], [$<,$<,S,"/utf8>>"], [$<,$<,S|"...>>"]
      if (p.whole) return deepText(p.latin1 ? [60, 60, s, 62, 62] : [60, 60, s, '/utf8>>'], len);
      return deepText([60, 60, s, ...tail(p.latin1 ? '...>>' : '/utf8...>>')], len);
    }
  }
  const body = writeBinaryBody(b, d);
  const len = 4 + body.reduce<number>((n, e) => n + (typeof e === 'number' ? 1 : e.length), 0);
  return { k: 'bin', body, len };
}

// ---------- writing on one line ----------
//
// Every function below returns the deep list io_lib_pretty returns, element for element.

const COMMA = 44;
const NL = 10;

/** [write(E) | write_tail(Es, S)] — "..." alone when the depth cut the sequence off at once. */
function writeItems(items: Node[], tailNode: Tail, sep: number): Deep {
  if (items.length === 0) return tailNode === 'dots' ? '...' : tailNode === null ? [] : [write(tailNode)];
  const out: DeepList = [write(items[0])];
  for (let i = 1; i < items.length; i++) out.push(COMMA, write(items[i]));
  if (tailNode === 'dots') out.push(sep, 46, 46, 46);
  else if (tailNode !== null) out.push(sep, ...tail(write(tailNode)));
  return out;
}

function write(n: Node): Deep {
  switch (n.k) {
    case 'text':
      return n.s;
    case 'bin':
      return [60, 60, n.body, 62, 62];
    case 'list':
      return [91, writeItems(n.items, n.tail, 124), 93];
    case 'tuple':
      return [123, writeItems(n.items, n.tail, COMMA), 125];
    case 'map':
      return [35, 123, writeItems(n.items, n.tail, COMMA), 125];
    case 'pair':
      return [write(n.key), ' => ', write(n.value)];
    case 'record':
      return [n.name, 123, writeFields(n.items, n.tail), 125];
    case 'field':
      return [n.name, ' = ', ...tail(write(n.value))];
  }
}

function writeFields(items: Node[], tailNode: Tail): Deep {
  if (items.length === 0) return tailNode === 'dots' ? '...' : '';
  const out: DeepList = [write(items[0])];
  for (let i = 1; i < items.length; i++) out.push(COMMA, write(items[i]));
  if (tailNode === 'dots') out.push(COMMA, 46, 46, 46);
  return out;
}

// ---------- layout ----------

/** OTP's last_depth: the closing brackets that follow an item when nothing comes after it. */
function lastDepth(moreFollow: boolean, ld: number): number {
  return moreFollow ? 0 : ld + 1;
}

/** Whether an item (with its comma) still fits after column `col`. */
function tailFits(eLen: number, col: number, w: number, ld1: number, ll: number, m: number): boolean {
  return ld1 === 0 ? eLen + 1 < ll - col && w + eLen + 1 <= m : eLen < ll - col - ld1 && w + eLen + ld1 <= m;
}

interface Layout {
  ll: number;
  m: number;
  tind: number;
}

function fits(n: Node, col: number, ld: number, w: number, L: Layout): boolean {
  return n.len < L.ll - col - ld && n.len + w + ld <= L.m;
}

/** io_lib_pretty's indent(N, Ind): N more spaces in front of the indentation Ind. */
function indentMore(n: number, ind: Deep): Deep {
  if (n === 1) return [32, ...tail(ind)];
  if (n === 4) return [[32, 32], [32, 32], ...tail(ind)];
  return [prettyChars(32, n), ...tail(ind)];
}

function pp(n: Node, col: number, ind: Deep, ld: number, w: number, L: Layout): Deep {
  if (fits(n, col, ld, w, L)) return write(n);
  switch (n.k) {
    case 'list':
      return [91, ppList(n.items, n.tail, col + 1, indentMore(1, ind), ld, 124, w + 1, L), 93];
    case 'tuple':
      if (n.tagged) return [123, ppTagTuple(n.items, n.tail, col, ind, ld, w + 1, L), 125];
      return [123, ppList(n.items, n.tail, col + 1, indentMore(1, ind), ld, COMMA, w + 1, L), 125];
    case 'map':
      return [35, 123, ppMap(n.items, n.tail, col + 2, indentMore(2, ind), ld, w + 1, L), 125];
    case 'record':
      return [n.name, 123, ppRecord(n.items, n.tail, n.nameLen, col, ind, ld, w + n.nameLen + 1, L), 125];
    case 'bin':
      return ppBinary(n.body, col + 2, indentMore(2, ind), ld, w, L);
    default:
      return write(n);
  }
}

function ppTagTuple(items: Node[], tailNode: Tail, col: number, ind: Deep, ld: number, w: number, L: Layout): Deep {
  const tag = items[0];
  const tagInd = tag.len + 2;
  const tcol = col + tagInd;
  if (L.tind > 0 && tagInd > L.tind) {
    // the elements go below the tag, indented by tind
    const rest = ppTail(items, 1, tailNode, col + L.tind, tcol, indentMore(L.tind, ind), ld, COMMA, w + tag.len, L);
    return [write(tag), ...rest];
  }
  const rest = ppList(items.slice(1), tailNode, tcol, indentMore(tagInd, ind), ld, COMMA, w + tag.len + 1, L);
  return [write(tag), COMMA, ...tail(rest)];
}

/** An element: written when it is text and fits, else laid out (then the line is full). */
function ppElement(e: Node, col: number, ind: Deep, ld: number, w: number, L: Layout): [Deep, number] {
  if (fits(e, col, ld, w, L) && isText(e)) return [write(e), e.len];
  return [pp(e, col, ind, ld, w, L), L.ll];
}

function ppList(items: Node[], tailNode: Tail, col0: number, ind: Deep, ld: number, sep: number, w: number, L: Layout): Deep {
  if (items.length === 0) return tailNode === 'dots' ? '...' : [];
  const [es, we] = ppElement(items[0], col0, ind, lastDepth(items.length > 1, ld), w, L);
  return [es, ...ppTail(items, 1, tailNode, col0, col0 + we, ind, ld, sep, w + we, L)];
}

function ppTail(
  items: Node[],
  from: number,
  tailNode: Tail,
  col0: number,
  col: number,
  ind: Deep,
  ld: number,
  sep: number,
  w: number,
  L: Layout,
): DeepList {
  const out: DeepList = [];
  for (let i = from; i < items.length; i++) {
    const e = items[i];
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const eLen = 1 + e.len;
    if (isText(e) && tailFits(eLen, col, w, ld1, L.ll, L.m)) {
      out.push(COMMA, write(e));
      col += eLen;
      w += eLen;
    } else {
      const [es, we] = ppElement(e, col0, ind, ld1, 0, L);
      out.push(COMMA, NL, ind, es);
      col = col0 + we;
      w = we;
    }
  }
  if (tailNode === null) return out;
  if (tailNode === 'dots') {
    out.push(sep, 46, 46, 46);
    return out;
  }
  // an improper tail
  const e = tailNode;
  if (e.len + 1 < L.ll - col - (ld + 1) && e.len + 1 + w + (ld + 1) <= L.m && isText(e)) {
    out.push(sep, ...tail(write(e)));
  } else {
    out.push(sep, NL, ind, ...tail(pp(e, col0, ind, ld + 1, 0, L)));
  }
  return out;
}

function mapValueIndent(tind: number): number {
  return tind > 0 ? tind : 4;
}

function ppPair(p: Node, col: number, ind: Deep, ld: number, w: number, L: Layout): [Deep, number] {
  if (fits(p, col, ld, w, L)) return [write(p), pairIsText(p) ? p.len : L.ll];
  const pair = p as Extract<Node, { k: 'pair' }>;
  const i = mapValueIndent(L.tind);
  const vind = indentMore(i, ind);
  return [[pp(pair.key, col, ind, ld, w, L), ' =>\n', vind, ...tail(pp(pair.value, col + i, vind, ld, 0, L))], L.ll];
}

function ppMap(items: Node[], tailNode: Tail, col: number, ind: Deep, ld: number, w: number, L: Layout): Deep {
  if (items.length === 0) return tailNode === 'dots' ? '...' : '';
  const [ps, pw] = ppPair(items[0], col, ind, lastDepth(items.length > 1, ld), w, L);
  const out: DeepList = [ps];
  let c = col + pw;
  let ww = pw;
  for (let i = 1; i < items.length; i++) {
    const p = items[i];
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const eLen = 1 + p.len;
    if (pairIsText(p) && tailFits(eLen, c, ww, ld1, L.ll, L.m)) {
      out.push(COMMA, write(p));
      c += eLen;
      ww += eLen;
    } else {
      const [s, w2] = ppPair(p, col, ind, ld1, 0, L);
      out.push(COMMA, NL, ind, s);
      c = col + w2;
      ww = w2;
    }
  }
  if (tailNode === 'dots') out.push(COMMA, 46, 46, 46);
  return out;
}

/** Where record fields go: after the name, or on the next line indented by tind. */
function recIndent(rind: number, col0: number, ind0: Deep, w0: number, L: Layout): { col: number; ind: Deep; s: Deep; w: number } {
  const nl = L.tind > 0 && rind > L.tind;
  const dcol = nl ? L.tind : rind;
  const ind = indentMore(dcol, ind0);
  return { col: col0 + dcol, ind, s: nl ? [NL, ...tail(ind)] : '', w: nl ? 0 : w0 };
}

function ppField(f: Node, col0: number, ind0: Deep, ld: number, w0: number, L: Layout): [Deep, number] {
  if (fits(f, col0, ld, w0, L)) return [write(f), fieldIsText(f) ? f.len : L.ll];
  const fl = f as Extract<Node, { k: 'field' }>;
  const r = recIndent(fl.nameLen, col0, ind0, w0 + fl.nameLen, L);
  const sep = typeof r.s !== 'string' ? ' =' : ' = ';
  return [[fl.name, sep, r.s, ...tail(pp(fl.value, r.col, r.ind, ld, r.w, L))], L.ll];
}

function ppRecord(items: Node[], tailNode: Tail, nameLen: number, col0: number, ind0: Deep, ld: number, w0: number, L: Layout): Deep {
  if (items.length === 0) return tailNode === 'dots' ? '...' : '';
  const r = recIndent(nameLen + 1, col0, ind0, w0, L);
  const [fs, fw] = ppField(items[0], r.col, r.ind, lastDepth(items.length > 1, ld), r.w, L);
  const out: DeepList = [r.s, fs];
  let c = r.col + fw;
  let w = r.w + fw;
  for (let i = 1; i < items.length; i++) {
    const f = items[i];
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const eLen = 1 + f.len;
    if (fieldIsText(f) && tailFits(eLen, c, w, ld1, L.ll, L.m)) {
      out.push(COMMA, write(f));
      c += eLen;
      w += eLen;
    } else {
      const [s, w2] = ppField(f, r.col, r.ind, ld1, 0, L);
      out.push(COMMA, NL, r.ind, s);
      c = r.col + w2;
      w = w2;
    }
  }
  if (tailNode === 'dots') out.push(COMMA, 46, 46, 46);
  return out;
}

/** Bytes fill lines of at least 8 characters, breaking after a comma. */
function ppBinary(body: Array<number | string>, col: number, ind: Deep, ld: number, w: number, L: Layout): Deep {
  const n0 = Math.max(8, Math.min(L.ll - col, L.m - 4 - w) - ld);
  let n = n0;
  const out: DeepList = [];
  let i = 0;
  // [BS, $, | S]: a byte and its comma
  while (i + 1 < body.length && body[i + 1] === COMMA) {
    const bs = body[i] as string;
    const len = bs.length + 1;
    if (n - len < 0) {
      out.push(NL, ind, bs, COMMA);
      n = n0 - len;
    } else {
      out.push(bs, COMMA);
      n -= len;
    }
    i += 2;
  }
  // what is left: the last byte, "...", or X, $:, Bits
  const rest = body.slice(i);
  const size = rest.reduce<number>((k, e) => k + (typeof e === 'number' ? 1 : e.length), 0);
  if (size > n) out.push(NL, ind, rest);
  else out.push(...rest);
  return [60, 60, out, 62, 62];
}

// ---------- choosing the indentation of tagged tuples and records (OTP's cind) ----------

class NoGood {}
const NO_GOOD = new NoGood();

function cind(n: Node, col: number, ind: number, ld: number, w: number, L: Layout): void {
  if (fits(n, col, ld, w, L)) return;
  switch (n.k) {
    case 'list':
      cindList(n.items, n.tail, col + 1, ind, ld, w + 1, L);
      return;
    case 'tuple':
      if (n.tagged) cindTagTuple(n.items, n.tail, col, ind, ld, w + 1, L);
      else cindList(n.items, n.tail, col + 1, ind, ld, w + 1, L);
      return;
    case 'map':
      cindMap(n.items, col + 2, ind, ld, w + 2, L);
      return;
    case 'record':
      cindRecord(n.items, n.nameLen, col, ind, ld, w + n.nameLen + 1, L);
      return;
    default:
      return;
  }
}

function cindTagTuple(items: Node[], tail: Tail, col: number, ind: number, ld: number, w: number, L: Layout): void {
  const tlen = items[0].len;
  const tagInd = tlen + 2;
  const tcol = col + tagInd;
  if (ind > 0 && tagInd > ind) {
    const col1 = col + ind;
    if (L.m + col1 <= L.ll || col1 <= Math.floor(L.ll / 2)) cindTail(items, 1, tail, col1, tcol, ind, ld, w + tlen, L);
    else throw NO_GOOD;
  } else if (L.m + tcol < L.ll || tcol < Math.floor(L.ll / 2)) {
    cindList(items.slice(1), tail, tcol, ind, ld, w + tlen + 1, L);
  } else throw NO_GOOD;
}

function cindElement(e: Node, col: number, ind: number, ld: number, w: number, L: Layout): number {
  if (fits(e, col, ld, w, L) && isText(e)) return e.len;
  cind(e, col, ind, ld, w, L);
  return L.ll;
}

function cindList(items: Node[], tail: Tail, col0: number, ind: number, ld: number, w: number, L: Layout): void {
  if (items.length === 0) return;
  const we = cindElement(items[0], col0, ind, lastDepth(items.length > 1, ld), w, L);
  cindTail(items, 1, tail, col0, col0 + we, ind, ld, w + we, L);
}

function cindTail(items: Node[], from: number, tail: Tail, col0: number, col: number, ind: number, ld: number, w: number, L: Layout): void {
  for (let i = from; i < items.length; i++) {
    const e = items[i];
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const eLen = 1 + e.len;
    if (isText(e) && tailFits(eLen, col, w, ld1, L.ll, L.m)) {
      col += eLen;
      w += eLen;
    } else {
      const we = cindElement(e, col0, ind, ld1, 0, L);
      col = col0 + we;
      w = we;
    }
  }
  if (tail === null || tail === 'dots') return;
  const e = tail;
  if (e.len + 1 < L.ll - col - (ld + 1) && e.len + 1 + w + (ld + 1) <= L.m && isText(e)) return;
  cind(e, col, ind, ld + 1, 0, L);
}

function cindPair(p: Node, col: number, ind: number, ld: number, w: number, L: Layout): number {
  if (fits(p, col, ld, w, L)) return pairIsText(p) ? p.len : L.ll;
  const pair = p as Extract<Node, { k: 'pair' }>;
  cind(pair.key, col, ind, ld, w, L);
  cind(pair.value, col + mapValueIndent(ind), ind, ld, 0, L);
  return L.ll;
}

function cindMap(items: Node[], col: number, ind: number, ld: number, w: number, L: Layout): void {
  if (items.length === 0) return;
  const pw = cindPair(items[0], col, ind, lastDepth(items.length > 1, ld), w, L);
  cindRest(items, pw, col, w, ld, L, pairIsText, (p, ld1) => cindPair(p, col, ind, ld1, 0, L), false);
}

/**
 * The elements after the first of a map or a record: each stays on the line while it fits, else
 * it is laid out on its own. After one laid out on its own, a map's next element continues from
 * the map's column, a record's from where the field ended (as OTP does).
 */
function cindRest(
  items: Node[],
  firstWidth: number,
  col: number,
  w: number,
  ld: number,
  L: Layout,
  isText: (n: Node) => boolean,
  layOut: (n: Node, ld: number) => number,
  fromFieldEnd: boolean,
): void {
  let c = col + firstWidth;
  let ww = w + firstWidth;
  for (let i = 1; i < items.length; i++) {
    const e = items[i];
    const ld1 = lastDepth(i + 1 < items.length, ld);
    const eLen = 1 + e.len;
    if (isText(e) && tailFits(eLen, c, ww, ld1, L.ll, L.m)) {
      c += eLen;
      ww += eLen;
    } else {
      const w2 = layOut(e, ld1);
      c = (fromFieldEnd ? c : col) + w2;
      ww = w2;
    }
  }
}

function cindRec(rind: number, col0: number, ind: number, w0: number, L: Layout): [number, number] {
  const nl = ind > 0 && rind > ind;
  const col = col0 + (nl ? ind : rind);
  if (L.m + col <= L.ll || col <= Math.floor(L.ll / 2)) return [col, nl ? 0 : w0];
  throw NO_GOOD;
}

function cindField(f: Node, col0: number, ind: number, ld: number, w0: number, L: Layout): number {
  if (fits(f, col0, ld, w0, L)) return fieldIsText(f) ? f.len : L.ll;
  const fl = f as Extract<Node, { k: 'field' }>;
  const [col, w] = cindRec(fl.nameLen, col0, ind, w0 + fl.nameLen, L);
  cind(fl.value, col, ind, ld, w, L);
  return L.ll;
}

function cindRecord(items: Node[], nameLen: number, col0: number, ind: number, ld: number, w0: number, L: Layout): void {
  if (items.length === 0) return;
  const [col, w] = cindRec(nameLen + 1, col0, ind, w0, L);
  const fw = cindField(items[0], col, ind, lastDepth(items.length > 1, ld), w, L);
  cindRest(items, fw, col, w, ld, L, fieldIsText, (f, ld1) => cindField(f, col, ind, ld1, 0, L), true);
}

/** The indentation tagged tuples and records may use: -1 (none), else 4, else 1. */
function chooseTupleIndent(n: Node, col: number, ll: number, m: number): number {
  for (const tind of [-1, 4]) {
    try {
      cind(n, col, tind, 0, 0, { ll, m, tind });
      return tind;
    } catch (e) {
      if (e !== NO_GOOD) throw e;
    }
  }
  return 1;
}

// ---------- entry ----------

/** io_lib_pretty:print/2 as the deep character list it returns. */
export function prettyPrintDeep(t: Term, opts: PrettyOptions): Deep {
  const depth = opts.depth ?? -1;
  if (depth === 0) return '...';
  const col = Math.max(1, opts.column ?? 1);
  const ll = opts.lineLength ?? 80;
  const m0 = opts.lineMaxChars ?? -1;
  const enc = opts.encoding ?? 'latin1';
  if (t instanceof Atom) return writeAtom(t, enc);
  if (!(t instanceof Tuple || t instanceof List || t === NIL || t instanceof ErlMap || t instanceof Bin)) {
    // numbers, pids, funs, ...: io_lib:write
    return writeDeep(t, { ...opts, encoding: 'latin1' });
  }
  const cx: Ctx = { enc, range: opts.printableRange ?? 'latin1', strings: opts.strings ?? true, opts };
  const n = measure(t, depth, cx);
  const m = m0 < 0 ? n.len : m0;
  if (ll === 0 || (n.len < ll - col && n.len <= m)) return write(n);
  const tind = chooseTupleIndent(n, col, ll, m);
  return pp(n, col, prettyChars(32, col - 1), 0, 0, { ll, m, tind });
}

export function prettyPrint(t: Term, opts: PrettyOptions): string {
  return flatten(prettyPrintDeep(t, opts));
}

/** ~p: io_lib_pretty:print/2 — line breaking at lineLength, strings as "...", records by recordDefs. */
export function printTerm(t: Term, opts?: PrettyOptions): string {
  return prettyPrint(t, opts ?? {});
}

/** shell.erl's ?LINEMAX (print depth) and ?CHAR_MAX (characters on a line) for results. */
export const SHELL_DEPTH = 30;
export const SHELL_LINE_MAX_CHARS = 60;

/**
 * A value as the shell prints an evaluation's result (shell:pp/3): column 1, depth 30, at most
 * 60 characters a line, the terminal's width (80 when not a terminal), and the group leader's
 * encoding (latin1 when stdin is not a terminal, unicode on a UTF-8 terminal).
 */
export function printShellValue(t: Term, opts: PrettyOptions = {}): string {
  return prettyPrint(t, { column: 1, lineLength: 80, depth: SHELL_DEPTH, lineMaxChars: SHELL_LINE_MAX_CHARS, ...opts });
}
