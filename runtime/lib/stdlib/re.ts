// Module re (PCRE in OTP): compile/1,2, run/2,3, replace/3,4, split/2,3, inspect/2, version/0.
// Patterns are parsed by re_parse.ts and matched by re_match.ts; this file is the Erlang side:
// options, subjects (iodata, or unicode chardata), byte offsets, the capture specifications, and
// the exact results OTP gives (replace and split build the same iodata re.erl builds). Errors are
// badarg with erl_stdlib_errors' explanations, as OTP raises them.

import { Atom, Bin, NIL, Term, Tuple, atom, list, tuple, isInteger } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chargeElements } from '../../vm/scheduler.js';
import { A, chardata, decodeUtf8, encodeUtf8, infoError, intList, iodataBytes, items } from '../common.js';
import { CompileOptions, Pattern, PatternError, parsePattern, Newline } from './re_parse.js';
import { MatchLimit, MatchOptions, Program } from './re_match.js';

const RE = 're';
const RE_ERL_LINE = 969;

// ---------- options ----------

const COMPILE_ONLY = new Set(['unicode', 'caseless', 'dollar_endonly', 'dotall', 'extended', 'firstline', 'multiline', 'no_auto_capture', 'dupnames', 'ungreedy', 'no_start_optimize', 'ucp', 'never_utf']);
const BOTH = new Set(['anchored', 'bsr_anycrlf', 'bsr_unicode']);
const RUN_ONLY = new Set(['global', 'notbol', 'notempty', 'notempty_atstart', 'noteol', 'report_errors']);
const NEWLINES = new Set(['cr', 'crlf', 'lf', 'anycrlf', 'any']);

type Kind = 'compile' | 'run' | 'both';

/** What kind of option t is, or undefined when it is none. */
function optionKind(t: Term): Kind | undefined {
  if (t instanceof Atom) {
    if (COMPILE_ONLY.has(t.name)) return 'compile';
    if (BOTH.has(t.name)) return 'both';
    if (RUN_ONLY.has(t.name)) return 'run';
    return undefined;
  }
  if (!(t instanceof Tuple)) return undefined;
  const [k, v, w] = t.elements;
  const key = k instanceof Atom ? k.name : '';
  if (t.elements.length === 2) {
    if (key === 'newline') return v instanceof Atom && NEWLINES.has(v.name) ? 'both' : undefined;
    if (key === 'offset' || key === 'match_limit' || key === 'match_limit_recursion') return isInteger(v) && v >= 0 ? 'run' : undefined;
    if (key === 'capture') return 'run';
  }
  if (t.elements.length === 3 && key === 'capture') return 'run';
  void w;
  return undefined;
}

function defaultCompileOptions(): CompileOptions {
  return {
    caseless: false,
    multiline: false,
    dotall: false,
    extended: false,
    ungreedy: false,
    dupnames: false,
    unicode: false,
    ucp: false,
    anchored: false,
    dollarEndonly: false,
    noAutoCapture: false,
    firstline: false,
    newline: 'lf',
    bsrAnycrlf: false,
  };
}

/** The compile option atoms: which setting each makes. */
const COMPILE_FLAGS: Record<string, [keyof CompileOptions | 'neverUtf', boolean]> = {
  unicode: ['unicode', true],
  caseless: ['caseless', true],
  dollar_endonly: ['dollarEndonly', true],
  dotall: ['dotall', true],
  extended: ['extended', true],
  firstline: ['firstline', true],
  multiline: ['multiline', true],
  no_auto_capture: ['noAutoCapture', true],
  dupnames: ['dupnames', true],
  ungreedy: ['ungreedy', true],
  ucp: ['ucp', true],
  never_utf: ['neverUtf', true],
  anchored: ['anchored', true],
  bsr_anycrlf: ['bsrAnycrlf', true],
  bsr_unicode: ['bsrAnycrlf', false],
};

/** The compile options in a list (others are skipped; the list is known to be valid). */
function compileOptions(opts: Term[]): CompileOptions & { neverUtf: boolean } {
  const o: CompileOptions & { neverUtf: boolean } = { ...defaultCompileOptions(), neverUtf: false };
  const flags = o as unknown as Record<string, boolean>;
  for (const t of opts) {
    const flag = t instanceof Atom ? COMPILE_FLAGS[t.name] : undefined;
    if (flag !== undefined) flags[flag[0]] = flag[1];
    else if (t instanceof Tuple && t.elements[0] === atom('newline')) o.newline = (t.elements[1] as Atom).name as Newline;
  }
  return o;
}

// ---------- compiled patterns: {re_pattern, Groups, Unicode, UseCRLF, Binary} ----------

interface Compiled {
  pattern: Pattern;
  program: Program;
  term: Tuple;
}

const compiledByKey = new Map<string, Compiled>();

function patternKey(source: number[], o: CompileOptions): string {
  return `${optionBits(o)}:${source.join(',')}`;
}

/** The compile options the option bits stand for. */
function optionsOf(bits: number): CompileOptions {
  const nl = bits & 0x700000;
  return {
    ...defaultCompileOptions(),
    caseless: (bits & 0x1) !== 0,
    multiline: (bits & 0x2) !== 0,
    dotall: (bits & 0x4) !== 0,
    extended: (bits & 0x8) !== 0,
    anchored: (bits & 0x10) !== 0,
    dollarEndonly: (bits & 0x20) !== 0,
    ungreedy: (bits & 0x200) !== 0,
    unicode: (bits & 0x800) !== 0,
    noAutoCapture: (bits & 0x1000) !== 0,
    firstline: (bits & 0x40000) !== 0,
    dupnames: (bits & 0x80000) !== 0,
    newline: nl === 0x100000 ? 'cr' : nl === 0x300000 ? 'crlf' : nl === 0x400000 ? 'any' : nl === 0x500000 ? 'anycrlf' : 'lf',
    bsrAnycrlf: (bits & 0x800000) !== 0,
    ucp: (bits & 0x20000000) !== 0,
  };
}

/** PCRE's public option bits, for the header of the binary (as PCRE's own header carries them). */
function optionBits(o: CompileOptions): number {
  const nl = { cr: 0x100000, lf: 0, crlf: 0x300000, any: 0x400000, anycrlf: 0x500000 }[o.newline];
  return (
    (o.caseless ? 0x1 : 0) |
    (o.multiline ? 0x2 : 0) |
    (o.dotall ? 0x4 : 0) |
    (o.extended ? 0x8 : 0) |
    (o.anchored ? 0x10 : 0) |
    (o.dollarEndonly ? 0x20 : 0) |
    (o.ungreedy ? 0x200 : 0) |
    (o.unicode ? 0x800 : 0) |
    (o.noAutoCapture ? 0x1000 : 0) |
    (o.firstline ? 0x40000 : 0) |
    (o.dupnames ? 0x80000 : 0) |
    nl |
    (o.bsrAnycrlf ? 0x800000 : 0) |
    (o.ucp ? 0x20000000 : 0)
  );
}

const HEADER = 24;

/**
 * The binary of a compiled pattern. It begins as PCRE's does (the magic "ERCP", the size, the
 * option bits, flags, and the unset match limits), and then holds the pattern's source, so that
 * a pattern sent elsewhere or stored can be compiled again.
 */
function patternBinary(source: number[], o: CompileOptions): Bin {
  const body = o.unicode ? encodeUtf8(source) : Uint8Array.from(source);
  const out = new Uint8Array(HEADER + body.length);
  const view = new DataView(out.buffer);
  out.set([69, 82, 67, 80]);
  view.setUint32(4, out.length, true);
  view.setUint32(8, optionBits(o) >>> 0, true);
  view.setUint32(12, 1, true);
  view.setUint32(16, 0xffffffff, true);
  view.setUint32(20, 0xffffffff, true);
  out.set(body, HEADER);
  return new Bin(out);
}

class CompileError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Compile source code points with options (cached by both). */
function compileSource(source: number[], o: CompileOptions & { neverUtf?: boolean }): Compiled {
  const { neverUtf, ...opts } = o;
  const key = patternKey(source, opts);
  const known = compiledByKey.get(key);
  if (known !== undefined) return known;
  if (neverUtf && (opts.unicode || /^\(\*UTF8?\)/.test(String.fromCodePoint(...source.slice(0, 8))))) {
    throw new CompileError('setting UTF is disabled by the application', 0);
  }
  let pattern: Pattern;
  try {
    pattern = parsePattern(source, opts);
  } catch (e) {
    if (e instanceof PatternError) throw new CompileError(e.message, byteOffset(source, e.at, opts.unicode));
    throw e;
  }
  const program = new Program(pattern);
  const po = pattern.options;
  const crlf = po.newline === 'crlf' || po.newline === 'anycrlf' || po.newline === 'any' ? 1 : 0;
  const term = tuple(atom('re_pattern'), pattern.groups, po.unicode ? 1 : 0, crlf, patternBinary(source, po));
  const c: Compiled = { pattern, program, term };
  if (compiledByKey.size > 500) compiledByKey.clear();
  compiledByKey.set(key, c);
  return c;
}

/** A pattern offset in code points as PCRE gives it: in bytes of the UTF-8 in unicode mode. */
function byteOffset(source: number[], at: number, unicode: boolean): number {
  if (!unicode) return at;
  return encodeUtf8(source.slice(0, at)).length;
}

/** The compiled pattern behind an {re_pattern, ...} term, or undefined. */
function fromTerm(t: Term): Compiled | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== 5 || t.elements[0] !== atom('re_pattern')) return undefined;
  const b = t.elements[4];
  if (!(b instanceof Bin) || b.byteSize < HEADER || b.bytes[0] !== 69 || b.bytes[1] !== 82 || b.bytes[2] !== 67 || b.bytes[3] !== 80) return undefined;
  const opts = optionsOf(new DataView(b.bytes.buffer, b.bytes.byteOffset).getUint32(8, true));
  const payload = b.bytes.subarray(HEADER);
  const source = opts.unicode ? decodeUtf8(payload).chars : Array.from(payload);
  try {
    return compileSource(source, opts);
  } catch {
    return undefined;
  }
}

// ---------- subjects and patterns as text ----------

/** The bytes of a subject (or replacement): iodata, or in unicode mode chardata (UTF-8). */
function textBytes(t: Term, unicode: boolean): Uint8Array | undefined {
  if (t instanceof Bin) return t.isBinary ? t.bytes : undefined;
  if (!unicode) return iodataBytes(t);
  const r = chardata(t);
  if (r === undefined || !r.ok) return undefined;
  return encodeUtf8(r.chars);
}

/** The code points of a pattern given as iodata or chardata. */
function patternSource(t: Term, unicode: boolean): number[] | undefined {
  if (!unicode) {
    const b = iodataBytes(t);
    return b === undefined ? undefined : Array.from(b);
  }
  if (t instanceof Bin) {
    if (!t.isBinary) return undefined;
    const d = decodeUtf8(t.bytes);
    return d.bad < 0 ? d.chars : undefined;
  }
  const r = chardata(t);
  return r !== undefined && r.ok ? r.chars : undefined;
}

/** A subject ready to match: its code points and the byte offset of each (and of the end). */
interface Subject {
  bytes: Uint8Array;
  cps: ArrayLike<number>;
  /** byte offset of each code point, and of the end; undefined when they are the same (bytes) */
  offsets: Int32Array | undefined;
}

function subjectOf(bytes: Uint8Array, unicode: boolean): Subject | undefined {
  if (!unicode) return { bytes, cps: bytes, offsets: undefined };
  const d = decodeUtf8(bytes);
  if (d.bad >= 0) return undefined;
  const offsets = new Int32Array(d.chars.length + 1);
  let at = 0;
  for (let i = 0; i < d.chars.length; i++) {
    offsets[i] = at;
    const c = d.chars[i];
    at += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  offsets[d.chars.length] = at;
  return { bytes, cps: d.chars, offsets };
}

const toByte = (s: Subject, i: number): number => (s.offsets === undefined ? i : s.offsets[i]);

/** The code point index of a byte offset (the first at or after it). */
function toIndex(s: Subject, byte: number): number {
  if (s.offsets === undefined) return byte;
  let lo = 0;
  let hi = s.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.offsets[mid] < byte) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------- errors ----------

function isIodata(t: Term): boolean {
  return t instanceof Bin ? t.isBinary : iodataBytes(t) !== undefined;
}

/** erl_stdlib_errors' text for a pattern argument (must_be_regexp). */
function regexpWhy(t: Term): string | undefined {
  if (fromTerm(t) !== undefined) return undefined;
  if (!isIodata(t)) return 'neither an iodata term nor a compiled regular expression';
  try {
    compileSource(patternSource(t, false)!, defaultCompileOptions());
    return undefined;
  } catch (e) {
    if (e instanceof CompileError) return `could not parse regular expression\n${e.message} on character ${e.offset}`;
    return undefined;
  }
}

const NOT_IODATA = 'not an iodata term';
const INVALID_OPTIONS = 'invalid options';

/** badarg from re:Fn(Args), explained as erl_stdlib_errors explains re's errors. */
function fail(fn: string, args: Term[], badopt = false): never {
  const why: Record<number, string> = {};
  if (fn === 'compile') {
    const [re] = args;
    if (args.length === 1) why[1] = NOT_IODATA;
    else {
      if (!isIodata(re)) why[1] = NOT_IODATA;
      else {
        const r = regexpWhy(re);
        if (r !== undefined) why[1] = r;
      }
      if (badopt) why[2] = INVALID_OPTIONS;
    }
  } else if (fn === 'run' || fn === 'split' || fn === 'replace') {
    if (!isIodata(args[0])) why[1] = NOT_IODATA;
    const r = regexpWhy(args[1]);
    if (r !== undefined) why[2] = r;
    if (fn === 'replace' && args.length >= 3 && !isIodata(args[2])) why[3] = NOT_IODATA;
    const optsArg = fn === 'replace' ? 4 : 3;
    if (badopt && args.length === optsArg) why[optsArg] = INVALID_OPTIONS;
  }
  // run, compile and inspect are BIFs (no location); replace and split are re.erl's
  const line = fn === 'replace' || fn === 'split' ? RE_ERL_LINE : undefined;
  throw infoError(A.badarg, RE, fn, args, why, line, badopt && (fn === 'compile' || fn === 'run') ? 'badopt' : undefined);
}

// ---------- compile ----------

function compileTerm(re: Term, opts: Term, args: Term[]): Term {
  const os = items(opts);
  if (os === undefined || os.some((o) => optionKind(o) === undefined || optionKind(o) === 'run')) fail('compile', args, true);
  const co = compileOptions(os);
  const source = patternSource(re, co.unicode);
  if (source === undefined) fail('compile', args);
  try {
    return tuple(atom('ok'), compileSource(source, co).term);
  } catch (e) {
    if (e instanceof CompileError) return compileErrorTerm(e);
    throw e;
  }
}

function compileErrorTerm(e: CompileError): Term {
  return tuple(atom('error'), tuple(intList([...e.message].map((c) => c.codePointAt(0)!)), e.offset));
}

defineBif(RE, 'compile', 1, (re) => compileTerm(re, NIL, [re]));
defineBif(RE, 'compile', 2, (re, opts) => compileTerm(re, opts, [re, opts]));

defineBif(RE, 'version', 0, () => new Bin(new TextEncoder().encode('8.44 2020-02-12')));

defineBif(RE, 'inspect', 2, (mp, item) => {
  const c = fromTerm(mp);
  if (c === undefined || item !== atom('namelist')) {
    const why: Record<number, string> = {};
    if (c === undefined) why[1] = 'not a compiled regular expression';
    if (c !== undefined || !(item instanceof Atom)) why[2] = 'not a valid item';
    throw infoError(A.badarg, RE, 'inspect', [mp, item], why, undefined);
  }
  return tuple(atom('namelist'), list(c.pattern.names.map(([n]) => new Bin(new TextEncoder().encode(n)))));
});

// ---------- run ----------

type CaptureType = 'index' | 'list' | 'binary';
type CaptureSpec = { kind: 'all' | 'all_but_first' | 'first' | 'none' | 'all_names' } | { kind: 'list'; items: Term[] };

interface RunSettings {
  compiled: Compiled;
  unicode: boolean;
  global: boolean;
  offset: number;
  capture: CaptureSpec;
  type: CaptureType;
  reportErrors: boolean;
  match: MatchOptions;
}

/** Everything run/3 needs from its arguments; raises badarg as OTP does. */
function runSettings(subjectT: Term, re: Term, opts: Term, fn: string, args: Term[]): RunSettings & { subject: Subject } {
  const os = items(opts);
  // (replace and split find a bad run option only when re:run fails on it: no cause then)
  const badopt = fn === 'run';
  if (os === undefined) fail(fn, args, badopt);
  for (const o of os) if (optionKind(o) === undefined) fail(fn, args, badopt);
  let compiled = fromTerm(re);
  if (compiled !== undefined) {
    // a compiled pattern takes no compile options but those run also knows
    if (os.some((o) => optionKind(o) === 'compile')) fail(fn, args);
  } else {
    const co = compileOptions(os);
    const source = patternSource(re, co.unicode);
    if (source === undefined) fail(fn, args);
    try {
      compiled = compileSource(source, co);
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      if (os.some((o) => o === atom('report_errors'))) throw new ReportedError(tuple(atom('error'), tuple(atom('compile'), (compileErrorTerm(e) as Tuple).elements[1])));
      fail(fn, args);
    }
  }
  const unicode = compiled.pattern.options.unicode;
  const settings: RunSettings = {
    compiled,
    unicode,
    global: false,
    offset: 0,
    capture: { kind: 'all' },
    type: 'index',
    reportErrors: false,
    match: { anchored: false, notbol: false, noteol: false, notempty: false, notemptyAtstart: false, matchLimit: 10_000_000 },
  };
  const matchFlags = settings.match as unknown as Record<string, boolean>;
  for (const o of os) {
    if (o instanceof Atom) {
      if (o.name === 'global') settings.global = true;
      else if (o.name === 'report_errors') settings.reportErrors = true;
      else if (o.name in RUN_FLAGS) matchFlags[RUN_FLAGS[o.name]] = true;
      continue;
    }
    const t = o as Tuple;
    const key = (t.elements[0] as Atom).name;
    if (key === 'offset') settings.offset = Number(t.elements[1]);
    else if (key === 'match_limit') settings.match.matchLimit = Math.max(1, Number(t.elements[1]));
    else if (key === 'capture') {
      // the last capture option counts
      const spec = captureSpec(t.elements[1]);
      if (spec === undefined) fail(fn, args);
      settings.capture = spec;
      if (t.elements.length === 3) {
        const ty = t.elements[2];
        if (!(ty === atom('index') || ty === atom('list') || ty === atom('binary'))) fail(fn, args);
        settings.type = (ty as Atom).name as CaptureType;
      }
    }
  }
  // a compiled pattern may still have its newline convention changed at run time
  const nl = os.find((o) => o instanceof Tuple && o.elements[0] === atom('newline')) as Tuple | undefined;
  const bsr = os.filter((o) => o === atom('bsr_anycrlf') || o === atom('bsr_unicode')).pop();
  if (compiled !== undefined && (nl !== undefined || bsr !== undefined) && fromTerm(re) !== undefined) {
    const po = compiled.pattern.options;
    const payload = (compiled.term.elements[4] as Bin).bytes.subarray(HEADER);
    const source = po.unicode ? decodeUtf8(payload).chars : Array.from(payload);
    compiled = compileSource(source, { ...po, newline: nl ? ((nl.elements[1] as Atom).name as Newline) : po.newline, bsrAnycrlf: bsr ? bsr === atom('bsr_anycrlf') : po.bsrAnycrlf });
    settings.compiled = compiled;
  }
  const bytes = textBytes(subjectT, unicode);
  if (bytes === undefined) fail(fn, args);
  const subject = subjectOf(bytes, unicode);
  if (subject === undefined) fail(fn, args);
  if (settings.offset > bytes.length) fail(fn, args);
  return { ...settings, subject };
}

/** The run option atoms that set a match option. */
const RUN_FLAGS: Record<string, keyof MatchOptions> = {
  anchored: 'anchored',
  notbol: 'notbol',
  noteol: 'noteol',
  notempty: 'notempty',
  notempty_atstart: 'notemptyAtstart',
};

class ReportedError {
  constructor(readonly term: Term) {}
}

function captureSpec(t: Term): CaptureSpec | undefined {
  if (t instanceof Atom) {
    if (['all', 'all_but_first', 'first', 'none', 'all_names'].includes(t.name)) return { kind: t.name as 'all' };
    return undefined;
  }
  const xs = items(t);
  if (xs === undefined) return undefined;
  if (xs.length === 0) return { kind: 'none' };
  if (!xs.every((x) => (isInteger(x) && x >= 0) || x instanceof Atom || x instanceof Bin || items(x) !== undefined)) return undefined;
  return { kind: 'list', items: xs };
}

/**
 * All matches (or the first): each as the capture pairs in byte offsets, -1 for unset groups.
 * The caller is charged for the subject's bytes read in and what the matcher examined (re:run,
 * replace and split over a long subject in a loop then let the other processes run).
 */
function matches(s: RunSettings & { subject: Subject }): number[][] | undefined {
  let examined = s.subject.bytes.length >>> 4;
  try {
    return matchesExamining(s, (n) => (examined += n + 64)); // a match builds its captures: 4 reductions
  } finally {
    chargeElements(examined);
  }
}

function matchesExamining(s: RunSettings & { subject: Subject }, examined: (n: number) => void): number[][] | undefined {
  const { program } = s.compiled;
  const subj = s.subject;
  const n = subj.cps.length;
  const out: number[][] = [];
  let from = toIndex(subj, s.offset);
  const firstline = s.compiled.pattern.options.firstline;
  const anchored = s.match.anchored || s.compiled.pattern.options.anchored;
  let retryNotEmpty = false;
  for (;;) {
    const opts: MatchOptions = retryNotEmpty ? { ...s.match, anchored: true, notemptyAtstart: true } : { ...s.match, anchored };
    let caps = program.exec(subj.cps, from, opts);
    examined(program.examined);
    if (caps !== undefined && firstline && !firstlineOk(subj.cps, from, caps[0], s.compiled.pattern.options.newline)) caps = undefined;
    if (caps === undefined) {
      if (!retryNotEmpty || !s.global) break;
      // after an empty match: the next try starts one character on (a CRLF counts as one)
      retryNotEmpty = false;
      if (from >= n) break;
      const nl = s.compiled.pattern.options.newline;
      const step = subj.cps[from] === 13 && subj.cps[from + 1] === 10 && (nl === 'crlf' || nl === 'any' || nl === 'anycrlf') ? 2 : 1;
      from += step;
      continue;
    }
    out.push(Array.from(caps, (x) => (x < 0 ? -1 : toByte(subj, x))));
    if (!s.global) break;
    retryNotEmpty = caps[0] === caps[1];
    from = caps[1];
    if (!retryNotEmpty && from > n) break;
  }
  return out.length > 0 ? out : undefined;
}

function firstlineOk(cps: ArrayLike<number>, from: number, start: number, nl: Newline): boolean {
  for (let i = from; i < start; i++) {
    const c = cps[i];
    if (c === 10 || (nl !== 'lf' && c === 13)) return false;
  }
  return true;
}

/** How many capture pairs PCRE reports: up to the highest group set (its return code). */
function reported(caps: number[]): number {
  let rc = caps.length / 2;
  while (rc > 1 && caps[2 * (rc - 1)] < 0) rc--;
  return rc;
}

function groupNumber(t: Term, c: Compiled): number | undefined {
  if (isInteger(t)) return Number(t);
  let name: string | undefined;
  if (t instanceof Atom) name = t.name;
  else if (t instanceof Bin) name = new TextDecoder().decode(t.bytes);
  else {
    const xs = items(t);
    if (xs !== undefined && xs.every((x) => typeof x === 'number')) name = String.fromCodePoint(...(xs as number[]));
  }
  return c.pattern.names.find(([n]) => n === name)?.[1];
}

/** The pairs a capture specification selects from one match. */
function select(caps: number[], s: RunSettings): [number, number][] | undefined {
  const pair = (g: number | undefined): [number, number] => {
    if (g === undefined || 2 * g + 1 >= caps.length || caps[2 * g] < 0) return [-1, 0];
    return [caps[2 * g], caps[2 * g + 1] - caps[2 * g]];
  };
  const spec = s.capture;
  switch (spec.kind) {
    case 'none':
      return undefined;
    case 'first':
      return [pair(0)];
    case 'all':
      return Array.from({ length: reported(caps) }, (_, g) => pair(g));
    case 'all_but_first':
      return Array.from({ length: reported(caps) }, (_, g) => pair(g)).slice(1);
    case 'all_names': {
      const names = s.compiled.pattern.names;
      if (names.length === 0) return undefined;
      return names.map(([, g]) => pair(g));
    }
    case 'list':
      return spec.items.map((t) => pair(groupNumber(t, s.compiled)));
  }
}

function captureTerm(p: [number, number], s: RunSettings, bytes: Uint8Array): Term {
  const [at, len] = p;
  if (s.type === 'index') return tuple(at, len);
  if (s.type === 'binary') return at < 0 ? new Bin(new Uint8Array(0)) : new Bin(bytes.slice(at, at + len));
  if (len === 0) return NIL;
  const part = bytes.subarray(at, at + len);
  return intList(s.unicode ? decodeUtf8(part).chars : part);
}

function run(subject: Term, re: Term, opts: Term, args: Term[]): Term {
  let s: RunSettings & { subject: Subject };
  try {
    s = runSettings(subject, re, opts, 'run', args);
  } catch (e) {
    if (e instanceof ReportedError) return e.term;
    throw e;
  }
  let ms: number[][] | undefined;
  try {
    ms = matches(s);
  } catch (e) {
    if (e instanceof MatchLimit) return s.reportErrors ? tuple(atom('error'), atom(e.kind)) : A.nomatch;
    throw e;
  }
  if (ms === undefined) return A.nomatch;
  const noneSelected = s.capture.kind === 'none' || (s.capture.kind === 'all_names' && s.compiled.pattern.names.length === 0);
  if (noneSelected) return atom('match');
  const one = (caps: number[]): Term => list(select(caps, s)!.map((p) => captureTerm(p, s, s.subject.bytes)));
  if (s.global) return tuple(atom('match'), list(ms.map(one)));
  return tuple(atom('match'), one(ms[0]));
}

defineBif(RE, 'run', 2, (subject, re) => run(subject, re, NIL, [subject, re]));
defineBif(RE, 'run', 3, (subject, re, opts) => run(subject, re, opts, [subject, re, opts]));

// ---------- replace ----------

/** replace's and split's run: every capture of the matches (none when a match limit is hit). */
function allMatches(subject: Term, re: Term, runOpts: Term[], fn: string, args: Term[]): { s: RunSettings & { subject: Subject }; ms: number[][] | undefined } {
  let s: RunSettings & { subject: Subject };
  try {
    s = runSettings(subject, re, list(runOpts), fn, args);
  } catch (e) {
    if (e instanceof ReportedError) fail(fn, args);
    throw e;
  }
  s.capture = { kind: 'all' };
  try {
    return { s, ms: matches(s) };
  } catch (e) {
    if (e instanceof MatchLimit) return { s, ms: undefined };
    throw e;
  }
}

/** A replacement's parts: bytes to copy and group numbers to insert (& is 0, \N and \g{N} are N). */
function replacementParts(r: Uint8Array): (Uint8Array | number)[] | undefined {
  const parts: (Uint8Array | number)[] = [];
  let lit: number[] = [];
  const flush = () => {
    if (lit.length > 0) parts.push(Uint8Array.from(lit));
    lit = [];
  };
  const digits = (at: number): [number, number] => {
    let j = at;
    let v = 0;
    while (j < r.length && r[j] >= 48 && r[j] <= 57) v = v * 10 + (r[j++] - 48);
    return [v, j];
  };
  for (let i = 0; i < r.length; ) {
    const c = r[i];
    if (c === 92 && i + 1 < r.length) {
      const x = r[i + 1];
      if (x === 103 && i + 2 < r.length) {
        // \g{N} or \gN
        if (r[i + 2] === 123) {
          const [v, j] = digits(i + 3);
          if (j === i + 3 || r[j] !== 125) return undefined;
          flush();
          parts.push(v);
          i = j + 1;
        } else {
          const [v, j] = digits(i + 2);
          if (j === i + 2) return undefined;
          flush();
          parts.push(v);
          i = j;
        }
        continue;
      }
      if (x >= 49 && x <= 57) {
        const [v, j] = digits(i + 1);
        flush();
        parts.push(v);
        i = j;
        continue;
      }
      // any other escaped character is itself
      lit.push(x);
      i += 2;
      continue;
    }
    if (c === 38) {
      flush();
      parts.push(0);
      i++;
      continue;
    }
    lit.push(c);
    i++;
  }
  flush();
  return parts;
}

function replace(subject: Term, re: Term, repl: Term, opts: Term, args: Term[]): Term {
  const os = items(opts);
  if (os === undefined) fail('replace', args, true);
  let ret = 'iodata' as 'iodata' | 'list' | 'binary';
  const runOpts: Term[] = [];
  for (const o of os) {
    if (o === atom('report_errors') || (o instanceof Tuple && o.elements[0] === atom('capture'))) fail('replace', args, true);
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === atom('return')) {
      const v = o.elements[1];
      if (!(v === atom('iodata') || v === atom('list') || v === atom('binary'))) fail('replace', args, true);
      ret = (v as Atom).name as typeof ret;
      continue;
    }
    runOpts.push(o);
  }
  const c = fromTerm(re);
  const unicode = c !== undefined ? c.pattern.options.unicode : runOpts.includes(atom('unicode'));
  const replBytes = textBytes(repl, unicode);
  if (textBytes(subject, unicode) === undefined || replBytes === undefined) fail('replace', args);
  const parts = replacementParts(replBytes);
  if (parts === undefined) fail('replace', args);
  const { s, ms } = allMatches(subject, re, runOpts, 'replace', args);
  if (ms === undefined) return convertReturn(subject, ret, unicode, true);
  const whole = s.subject.bytes;
  const bin = (a: number, b: number) => new Bin(whole.slice(a, b));
  // as re.erl builds it: untouched parts and replacements, the rest of the subject as the tail
  const out: Term[] = [];
  let pos = 0;
  for (const caps of ms) {
    const start = caps[0];
    const end = caps[1];
    if (start > pos) out.push(bin(pos, start));
    const rc = reported(caps);
    const insert = (g: number): Term => (g >= rc || caps[2 * g] < 0 ? new Bin(new Uint8Array(0)) : bin(caps[2 * g], caps[2 * g + 1]));
    if (parts.length === 1 && parts[0] instanceof Uint8Array) out.push(new Bin(parts[0]));
    else out.push(list(parts.map((p) => (typeof p === 'number' ? insert(p) : new Bin(p)))));
    pos = end;
  }
  const tail: Term = pos >= whole.length ? NIL : bin(pos, whole.length);
  return convertReturn(list(out, tail), ret, unicode, false);
}

function convertReturn(io: Term, ret: 'iodata' | 'list' | 'binary', unicode: boolean, original: boolean): Term {
  if (ret === 'iodata') return io;
  const bytes = textBytes(io, unicode && original) ?? iodataBytes(io)!;
  if (ret === 'binary') return new Bin(bytes.slice());
  return intList(unicode ? decodeUtf8(bytes).chars : bytes);
}

defineBif(RE, 'replace', 3, (s, re, r) => replace(s, re, r, NIL, [s, re, r]));
defineBif(RE, 'replace', 4, (s, re, r, o) => replace(s, re, r, o, [s, re, r, o]));

// ---------- split ----------

function split(subject: Term, re: Term, opts: Term, args: Term[]): Term {
  const os = items(opts);
  if (os === undefined) fail('split', args, true);
  let ret = 'iodata' as 'iodata' | 'list' | 'binary';
  let limit = -1;
  let strip = false;
  let group = false;
  const runOpts: Term[] = [];
  for (const o of os) {
    if (o === atom('trim')) {
      limit = -1;
      strip = true;
    } else if (o === atom('group')) group = true;
    else if (o === atom('global') || o === atom('report_errors') || (o instanceof Tuple && o.elements[0] === atom('capture'))) fail('split', args, true);
    else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === atom('parts')) {
      const v = o.elements[1];
      if (v === 0) {
        limit = -1;
        strip = true;
      } else if (v === atom('infinity')) {
        limit = -1;
        strip = false;
      } else if (typeof v === 'number' && Number.isInteger(v) && v >= 1) {
        limit = v - 1;
        strip = false;
      } else fail('split', args, true);
    } else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === atom('return')) {
      const v = o.elements[1];
      if (!(v === atom('iodata') || v === atom('list') || v === atom('binary'))) fail('split', args, true);
      ret = (v as Atom).name as typeof ret;
    } else runOpts.push(o);
  }
  const { s, ms } = allMatches(subject, re, [...runOpts, atom('global')], 'split', args);
  const whole = s.subject.bytes;
  const numSub = s.compiled.pattern.groups;
  const bin = (a: number, b: number) => whole.slice(a, b);
  let result: Uint8Array[][];
  if (ms === undefined) result = [[whole]];
  else {
    result = [];
    let offset = 0;
    let left = limit;
    let k = 0;
    for (; k < ms.length && left !== 0; k++) {
      const caps = ms[k];
      const [mi, me] = [caps[0], caps[1]];
      const subs: [number, number][] = [];
      const rc = reported(caps);
      for (let g = 1; g <= numSub; g++) subs.push(g < rc ? [caps[2 * g], caps[2 * g + 1]] : [0, 0]);
      const emptySubs = subs.every(([a, b]) => b - a === 0 || a < 0);
      if (mi === offset && me === mi && emptySubs) {
        offset = me;
        continue;
      }
      if (offset >= whole.length) break;
      const piece = [bin(offset, mi), ...subs.map(([a, b]) => (a < 0 ? new Uint8Array(0) : bin(a, b)))];
      result.push(piece);
      offset = me;
      left--;
    }
    result.push([offset >= whole.length ? new Uint8Array(0) : bin(offset, whole.length)]);
    if (strip) result = backstrip(result, group);
  }
  const unicode = s.unicode;
  const conv = (b: Uint8Array): Term => (ret === 'list' ? intList(unicode ? decodeUtf8(b).chars : b) : new Bin(b));
  if (group) return list(result.map((piece) => list(piece.map(conv))));
  return list(result.flat().map(conv));
}

/** trim: the empty parts at the end go (whole groups, when grouped). */
function backstrip(result: Uint8Array[][], group: boolean): Uint8Array[][] {
  if (group) {
    let n = result.length;
    while (n > 0 && result[n - 1].every((b) => b.length === 0)) n--;
    return result.slice(0, n);
  }
  const flat = result.flat();
  let n = flat.length;
  while (n > 0 && flat[n - 1].length === 0) n--;
  return [flat.slice(0, n)];
}

defineBif(RE, 'split', 2, (s, re) => split(s, re, NIL, [s, re]));
defineBif(RE, 'split', 3, (s, re, o) => split(s, re, o, [s, re, o]));

