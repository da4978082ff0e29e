// The shell's exception texts, as erl_error:format_exception writes them for shell:report_exception:
//
//   ** exception error: an error occurred when evaluating an arithmetic expression
//        in operator  +/2
//           called as 1 + foo
//
// The reason is explained in words where OTP has words for it; the stack is printed from its
// first frame ("in function", or "in operator" for erlang's operators) with the arguments when
// the frame has them ("called as"), and per-argument explanations from the frame's
// error_info item (runtime/vm/exception.ts keeps the texts beside it).
// Frames of erl_eval and shell at the bottom of the stack are left out, as the shell does.
//
// Terms are printed as the shell prints them: depth 30, at most 60 characters a line.

import { Atom, Fun, List, NIL, Term, Tuple, atom, isInteger, listToArray, listToString } from '../../../vm/term.js';
import { errorInfoExplanations } from '../../../vm/exception.js';
import { Encoding, charsLength, printableList, spaces, writeAtom } from './chars.js';
import { PrintOptions, formatFun, writeTerm } from './term.js';
import { SHELL_DEPTH, SHELL_LINE_MAX_CHARS, printTerm } from './pretty.js';

export interface ExceptionOptions extends PrintOptions {
  /** "** " (the default) or "* " for exceptions caught by the shell's catch_exception mode */
  severity?: 'serious' | 'benign';
  /** line length the terms are laid out in (io:columns(); 80 when not a terminal) */
  lineLength?: number;
  /** which bottom frames to leave out; the default drops erl_eval and shell frames */
  trimFrame?: (module: Atom, fun: Atom, arity: Term) => boolean;
  /** how a term is printed at a column (erl_error's FormatFun); the default is the shell's pp */
  print?: (t: Term, column: number) => string;
}


interface Cx {
  enc: Encoding;
  /** format a term starting at column I (the shell's pp/3) */
  pf: (t: Term, col: number) => string;
  opts: ExceptionOptions;
}

const ERL_EVAL = atom('erl_eval');
const SHELL = atom('shell');
const ERLANG = atom('erlang');

function defaultTrim(m: Atom): boolean {
  return m === ERL_EVAL || m === SHELL;
}

/** The text the shell prints for an uncaught exception (no newline at the end). */
export function formatException(cls: Atom, reason: Term, stack: Term, opts: ExceptionOptions = {}): string {
  const tag = opts.severity === 'benign' ? '* ' : '** ';
  return tag + formatExceptionBody(tag.length + 1, cls, reason, stack, opts);
}

/** erl_error:format_exception(Column, ...) as the shell calls it: everything after the "** " tag. */
export function formatExceptionBody(column: number, cls: Atom, reason: Term, stack: Term, opts: ExceptionOptions = {}): string {
  const enc = opts.encoding ?? 'latin1';
  const ll = opts.lineLength ?? 80;
  const cx: Cx = {
    enc,
    opts,
    pf: opts.print ?? ((t, col) => printTerm(t, { ...opts, column: col, lineLength: ll, depth: SHELL_DEPTH, lineMaxChars: SHELL_LINE_MAX_CHARS, encoding: enc })),
  };
  const s = spaces(column - 1);
  const { term, trace1, trace } = analyze(cls.name, reason, stack);
  const why = extendedError(trace);
  const st = formatStacktrace(s, trace, cx, why, opts.trimFrame);
  const expl = why.reason ?? explainReason(term, cls.name, trace1, s, cx);
  const text = exited(cls.name) + expl;
  return st === '' ? text : text + '\n' + st;
}

// ---------- the stack ----------

interface Frame {
  m: Term;
  f: Term;
  /** arity, or the argument list */
  a: Term;
  info: Term;
}

function asFrame(t: Term): Frame | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== 4) return undefined;
  const [m, f, a, info] = t.elements;
  return { m, f, a, info };
}

/** OTP's is_stacktrace: a proper list of {M, F, ArityOrArgs, Info} frames. */
function stackFrames(stack: Term): Frame[] | undefined {
  const items = listToArray(stack);
  if (items === undefined) return undefined;
  const frames: Frame[] = [];
  for (const it of items) {
    const fr = asFrame(it);
    if (
      fr === undefined ||
      !(fr.m instanceof Atom) ||
      !(fr.f instanceof Atom) ||
      !(isInteger(fr.a) || listToArray(fr.a) !== undefined) ||
      listToArray(fr.info) === undefined
    ) {
      return undefined;
    }
    frames.push(fr);
  }
  return frames;
}

type Trace1 = { kind: 'none' } | { kind: 'frame'; frame: Frame } | { kind: 'shell'; f: Term; a: Term };

function analyze(cls: string, reason: Term, stack: Term): { term: Term; trace1: Trace1; trace: Frame[] } {
  const frames = stackFrames(stack);
  if (frames === undefined) return { term: new Tuple([reason, stack]), trace1: { kind: 'none' }, trace: [] };
  if (cls === 'error' && frames.length > 0) {
    const first = frames[0];
    if (reason === atom('function_clause')) {
      if (!isInteger(first.a)) return { term: reason, trace1: { kind: 'frame', frame: first }, trace: frames.slice(1) };
      if (first.m === SHELL && frames.length === 1) return { term: reason, trace1: { kind: 'shell', f: first.f, a: first.a }, trace: [] };
    }
    if (reason === atom('undef')) return { term: reason, trace1: { kind: 'frame', frame: first }, trace: frames.slice(1) };
  }
  return { term: reason, trace1: { kind: 'none' }, trace: frames };
}

/** The first frame's error_info explanations: [{N | general | reason, Text}] (see runtime/vm/exception.ts). */
interface Why {
  args: Map<number, string>;
  general?: string;
  reason?: string;
}

function whyText(t: Term): string {
  if (typeof t === 'string') return t;
  const s = listToString(t);
  if (s !== undefined) return s;
  return writeTerm(t);
}

function extendedError(trace: Frame[]): Why {
  const why: Why = { args: new Map() };
  if (trace.length === 0) return why;
  for (const item of listToArray(trace[0].info) ?? []) {
    const entries = errorInfoExplanations(item);
    if (entries === undefined) continue;
    for (const entry of entries) {
      if (!(entry instanceof Tuple) || entry.elements.length !== 2) continue;
      const [k, v] = entry.elements;
      if (typeof k === 'number') why.args.set(k, whyText(v));
      else if (k === atom('general')) why.general = whyText(v);
      else if (k === atom('reason')) why.reason = whyText(v);
    }
  }
  return why;
}

function formatStacktrace(s0: string, trace: Frame[], cx: Cx, why: Why, trim?: (m: Atom, f: Atom, a: Term) => boolean): string {
  const drop = trim ?? ((m: Atom) => defaultTrim(m));
  let end = trace.length;
  while (end > 0 && drop(trace[end - 1].m as Atom, trace[end - 1].f as Atom, trace[end - 1].a)) end--;
  const s = '  ' + s0;
  const parts: string[] = [];
  for (let n = 1; n <= end; n++) {
    const fr = trace[n - 1];
    const sep = n === 1 ? s : '\n' + s;
    const m = fr.m as Atom;
    const f = fr.f as Atom;
    const args = isInteger(fr.a) ? undefined : listToArray(fr.a)!;
    const arity = args === undefined ? Number(fr.a) : args.length;
    const errors = callFormatError(n === 1 ? why : { args: new Map() }, args ?? arity, sep);
    if (args === undefined) {
      parts.push(`${sep}${origin(n, m, f, arity)} ${mfaToString(m, f, arity, cx.enc)} ${location(fr.info)}${errors}`);
    } else {
      const calledAs = s + '   called as ';
      const call = formatCall('', calledAs, { m, f }, args, cx);
      parts.push(`${sep}${origin(n, m, f, arity)} ${mfaToString(m, f, arity, cx.enc)}\n${calledAs}${call}${errors}`);
    }
  }
  return parts.join('');
}

function callFormatError(why: Why, args: Term[] | number, sep: string): string {
  const lines: string[] = [];
  const n = typeof args === 'number' ? args : args.length;
  for (let i = 1; i <= n; i++) {
    const err = why.args.get(i);
    if (err === undefined) continue;
    const [first, ...rest] = err.split(/[\r\n]+/).filter((l) => l !== '');
    const argStr = `*** argument ${i}: `;
    lines.push(argStr + (first ?? ''));
    for (const l of rest) lines.push(spaces(charsLength(argStr)) + l);
  }
  if (why.general !== undefined) lines.push('*** ' + why.general);
  return lines.map((l) => '\n' + sep + '   ' + l).join('');
}

function location(info: Term): string {
  let file: Term | undefined;
  let line: Term | undefined;
  for (const it of listToArray(info) ?? []) {
    if (it instanceof Tuple && it.elements.length === 2) {
      if (it.elements[0] === atom('file') && file === undefined) file = it.elements[1];
      if (it.elements[0] === atom('line') && line === undefined) line = it.elements[1];
    }
  }
  if (file === undefined || line === undefined) return '';
  return `(${whyText(file)}, line ${writeTerm(line)})`;
}

// ---------- operators and BIF names ----------

const OPERATORS: Record<string, number[]> = {
  '+': [1, 2], '-': [1, 2], '*': [2], '/': [2], bnot: [1], div: [2], rem: [2], band: [2], bor: [2], bxor: [2],
  bsl: [2], bsr: [2], not: [1], and: [2], or: [2], xor: [2], '==': [2], '/=': [2], '=<': [2], '<': [2],
  '>=': [2], '>': [2], '=:=': [2], '=/=': [2], '++': [2], '--': [2], '!': [2],
};

function isOp(m: Term, f: Term, arity: number): boolean {
  return m === ERLANG && f instanceof Atom && (OPERATORS[f.name]?.includes(arity) ?? false);
}

/** erl_internal:bif/2: erlang's auto-imported functions, printed without "erlang:". */
const AUTO_IMPORTED = new Set(
  (
    'abs/1 alias/0 alias/1 apply/2 apply/3 atom_to_binary/1 atom_to_binary/2 atom_to_list/1 binary_part/2 binary_part/3 ' +
    'binary_to_atom/1 binary_to_atom/2 binary_to_existing_atom/1 binary_to_existing_atom/2 binary_to_float/1 ' +
    'binary_to_integer/1 binary_to_integer/2 binary_to_list/1 binary_to_list/3 binary_to_term/1 binary_to_term/2 ' +
    'bit_size/1 bitstring_to_list/1 byte_size/1 ceil/1 check_old_code/1 check_process_code/2 check_process_code/3 ' +
    'date/0 delete_module/1 demonitor/1 demonitor/2 disconnect_node/1 element/2 erase/0 erase/1 error/1 error/2 ' +
    'error/3 exit/1 exit/2 float/1 float_to_binary/1 float_to_binary/2 float_to_list/1 float_to_list/2 floor/1 ' +
    'garbage_collect/0 garbage_collect/1 garbage_collect/2 get/0 get/1 get_keys/0 get_keys/1 group_leader/0 ' +
    'group_leader/2 halt/0 halt/1 halt/2 hd/1 integer_to_binary/1 integer_to_binary/2 integer_to_list/1 ' +
    'integer_to_list/2 iolist_size/1 iolist_to_binary/1 is_alive/0 is_atom/1 is_binary/1 is_bitstring/1 ' +
    'is_boolean/1 is_float/1 is_function/1 is_function/2 is_integer/1 is_list/1 is_map/1 is_map_key/2 is_number/1 ' +
    'is_pid/1 is_port/1 is_process_alive/1 is_record/2 is_record/3 is_reference/1 is_tuple/1 length/1 link/1 ' +
    'list_to_atom/1 list_to_binary/1 list_to_bitstring/1 list_to_existing_atom/1 list_to_float/1 list_to_integer/1 ' +
    'list_to_integer/2 list_to_pid/1 list_to_port/1 list_to_ref/1 list_to_tuple/1 load_module/2 make_ref/0 ' +
    'map_get/2 map_size/1 max/2 min/2 module_loaded/1 monitor/2 monitor/3 monitor_node/2 node/0 node/1 nodes/0 ' +
    'nodes/1 nodes/2 now/0 open_port/2 pid_to_list/1 port_close/1 port_command/2 port_command/3 port_connect/2 ' +
    'port_control/3 port_to_list/1 pre_loaded/0 process_flag/2 process_flag/3 process_info/1 process_info/2 ' +
    'processes/0 purge_module/1 put/2 ref_to_list/1 register/2 registered/0 round/1 self/0 setelement/3 size/1 ' +
    'spawn/1 spawn/2 spawn/3 spawn/4 spawn_link/1 spawn_link/2 spawn_link/3 spawn_link/4 spawn_monitor/1 ' +
    'spawn_monitor/2 spawn_monitor/3 spawn_monitor/4 spawn_opt/2 spawn_opt/3 spawn_opt/4 spawn_opt/5 ' +
    'spawn_request/1 spawn_request/2 spawn_request/3 spawn_request/4 spawn_request/5 spawn_request_abandon/1 ' +
    'split_binary/2 statistics/1 term_to_binary/1 term_to_binary/2 term_to_iovec/1 term_to_iovec/2 throw/1 time/0 ' +
    'tl/1 trunc/1 tuple_size/1 tuple_to_list/1 unalias/1 unlink/1 unregister/1 whereis/1'
  ).split(' '),
);

/** Is erlang:F/A called without its module in source code (erl_internal:bif/3)? */
export function isAutoImported(m: Term, f: Term, arity: number): boolean {
  return m === ERLANG && f instanceof Atom && AUTO_IMPORTED.has(`${f.name}/${arity}`);
}

function atomText(a: Term, enc: Encoding): string {
  return a instanceof Atom ? writeAtom(a, enc) : writeTerm(a);
}

type Callee = { m: Term; f: Term } | Fun | Term;

function mfToString(callee: Callee, arity: number, enc: Encoding): string {
  if (callee instanceof Fun) return formatFunName(callee, enc);
  if (isMF(callee)) {
    const { m, f } = callee;
    if (isAutoImported(m, f, arity)) return writeAtom(f as Atom, 'latin1');
    if (isOp(m, f, arity)) return (f as Atom).name === '/' ? "'/'" : (f as Atom).name;
    return `${writeTerm(m)}:${atomText(f, enc)}`;
  }
  return atomText(callee as Term, enc);
}

function isMF(c: Callee): c is { m: Term; f: Term } {
  return typeof c === 'object' && c !== null && 'm' in c && 'f' in c && !(c instanceof Tuple);
}

/** "lists:map/2", "hd/1", "'/'/2" */
export function mfaToString(m: Term, f: Term, arity: number, enc: Encoding = 'latin1'): string {
  return `${mfToString({ m, f }, arity, enc)}/${arity}`;
}

/** erl_error:format_fun: how a fun is named in "... called with one argument". */
export function formatFunName(fn: Fun, enc: Encoding = 'latin1'): string {
  const i = fn.info;
  switch (i.kind) {
    case 'eval':
      return `interpreted function with arity ${fn.arity}`;
    case 'export':
      return mfaToString(i.module, i.name, i.arity, enc);
    default: {
      // a module's fun is named by its compiler-made function name when the runtime knows it
      const name = (i as { name?: Atom }).name;
      return name instanceof Atom ? mfaToString(i.module, name, fn.arity, enc) : formatFun(fn);
    }
  }
}

function origin(n: number, m: Term, f: Term, arity: number): string {
  if (n > 1) return 'in call from';
  return isOp(m, f, arity) ? 'in operator ' : 'in function ';
}

// ---------- calls: "kvs:lookup(1,2)", "1 + foo" ----------

function countNl(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function formatCall(errStr: string, pre1: string, callee: Callee, args: Term[], cx: Cx): string {
  const arity = args.length;
  if (isMF(callee) && isOp(callee.m, callee.f, arity)) return errStr + formatOp(errStr, pre1, (callee.f as Atom).name, args, cx);
  const mfs = mfToString(callee, arity, cx.enc);
  const i1 = charsLength(pre1 + errStr + mfs);
  const s1 = ppArguments(args, i1, cx);
  const s2 = ppArguments(args, charsLength(pre1 + mfs), cx);
  const s3 = ppArguments([atom('a2345'), atom('b2345')], i1, cx);
  const long = countNl(s3) > 0;
  if (long || countNl(s2) < countNl(s1)) return errStr + '\n' + pre1 + mfs + s2;
  return errStr + mfs + s1;
}

function formatOp(errStr: string, pre: string, op: string, args: Term[], cx: Cx): string {
  if (args.length === 1) {
    const opS = op + ' ';
    const i1 = (errStr + pre + opS).length;
    return opS + cx.pf(args[0], i1 + 1);
  }
  const i1 = (errStr + pre).length;
  const s1 = cx.pf(args[0], i1 + 1);
  const s2 = cx.pf(args[1], i1 + 1);
  const pre1 = '\n' + spaces(i1);
  if (countNl(s1) > 0) return s1 + pre1 + op + pre1 + s2;
  const opS2 = ` ${op} `;
  const size1 = (errStr + pre + opS2).length;
  const size2 = cx.enc === 'latin1' ? s1.length : charsLength(s1);
  const s22 = cx.pf(args[1], size1 + size2 + 1);
  if (countNl(s2) < countNl(s22)) return s1 + pre1 + op + pre1 + s2;
  return s1 + opS2 + s22;
}

/** The arguments in parentheses. A list that would print as a string prints as numbers. */
function ppArguments(args: Term[], col: number, cx: Cx): string {
  const asList = listOf(args);
  const printable = printableList(asList, cx.enc === 'latin1' ? 'latin1' : cx.opts.printableRange ?? 'latin1');
  if (args.length > 0 && isInteger(args[0]) && printable !== undefined) {
    // print a placeholder atom as wide as the first number, then put the number back
    const l = String(args[0]);
    const placeholder = atom('a'.repeat(l.length));
    const s = cx.pf(listOf([placeholder, ...args.slice(1)]), col + 1);
    return bracketsToParens('[' + l + [...s].slice(1 + l.length).join(''));
  }
  return bracketsToParens(cx.pf(asList, col + 1));
}

function bracketsToParens(s: string): string {
  return '(' + s.slice(1, -1) + ')';
}

function listOf(items: Term[]): Term {
  let l: Term = NIL;
  for (let i = items.length - 1; i >= 0; i--) l = new List(items[i], l);
  return l;
}

// ---------- reasons in words ----------

function exited(cls: string): string {
  return cls === 'error' ? 'exception error: ' : cls === 'exit' ? 'exception exit: ' : 'exception throw: ';
}

function formatValue(v: Term, errStr: string, cls: string, s: string, cx: Cx): string {
  const pre1Sz = exited(cls).length;
  const s1 = cx.pf(v, pre1Sz + s.length + errStr.length + 1);
  const n1 = countNl(s1);
  if (n1 > 1) {
    const s2 = cx.pf(v, s.length + 1 + pre1Sz);
    if (countNl(s2) < n1) return errStr + '\n' + s + spaces(pre1Sz) + s2;
  }
  return errStr + s1;
}

function argss(n: number): string {
  return n === 0 ? 'no arguments' : n === 1 ? 'one argument' : n === 2 ? 'two arguments' : `${n} arguments`;
}

function tag2(t: Term, name: string): Term | undefined {
  return t instanceof Tuple && t.elements.length === 2 && t.elements[0] === atom(name) ? t.elements[1] : undefined;
}

function explainReason(term: Term, cls: string, trace1: Trace1, s: string, cx: Cx): string {
  const err = cls === 'error';
  if (trace1.kind === 'none') {
    if (err) {
      if (term === atom('badarg')) return 'bad argument';
      if (term === atom('badarith')) return 'an error occurred when evaluating an arithmetic expression';
      if (term === atom('if_clause')) return 'no true branch found when evaluating an if expression';
      if (term === atom('noproc')) return 'no such process or port';
      if (term === atom('notalive')) return 'the node cannot be part of a distributed system';
      if (term === atom('system_limit')) return 'a system limit has been reached';
      if (term === atom('timeout_value')) return 'bad receive timeout value';
      const valued: [string, string][] = [
        ['badarg', 'bad argument: '],
        ['badkey', 'bad key: '],
        ['badmap', 'bad map: '],
        ['badfun', 'bad function '],
        ['badmatch', 'no match of right hand side value '],
        ['case_clause', 'no case clause matching '],
        ['try_clause', 'no try clause matching '],
        ['bad_filter', 'bad filter '],
        ['bad_generator', 'bad generator '],
      ];
      for (const [tag, text] of valued) {
        const v = tag2(term, tag);
        if (v !== undefined) return formatValue(v, text, cls, s, cx);
      }
      const badarity = tag2(term, 'badarity');
      if (badarity instanceof Tuple && badarity.elements.length === 2 && badarity.elements[0] instanceof Fun) {
        const args = listToArray(badarity.elements[1]);
        if (args !== undefined) return `${formatFunName(badarity.elements[0], cx.enc)} called with ${argss(args.length)}`;
      }
      if (term instanceof Tuple && term.elements.length === 4 && term.elements[0] === atom('shell_undef')) {
        const [, f, a] = term.elements;
        const n = isInteger(a) ? Number(a) : listToArray(a)?.length;
        if (n !== undefined) return `undefined shell command ${atomText(f, cx.enc)}/${n}`;
      }
      const limit = tag2(term, 'argument_limit');
      if (limit !== undefined) return 'limit of number of arguments to interpreted function exceeded';
      const unbound = tag2(term, 'unbound');
      if (unbound !== undefined) return `variable ${writeTerm(unbound)} is unbound`;
    } else if (cls === 'exit') {
      const bad = tag2(term, 'restricted_shell_bad_return');
      if (bad !== undefined) return formatValue(bad, 'restricted shell module returned bad value ', cls, s, cx);
      const dis = tag2(term, 'restricted_shell_disallowed');
      if (dis instanceof Tuple && dis.elements.length === 2) {
        const [forMF, as] = dis.elements;
        const args = listToArray(as);
        if (args !== undefined) {
          const pre1 = s + spaces(exited(cls).length);
          const callee: Callee =
            forMF instanceof Tuple && forMF.elements.length === 2 ? { m: forMF.elements[0], f: forMF.elements[1] } : forMF;
          return formatCall('restricted shell does not allow ', pre1, callee, args, cx);
        }
      }
      if (term === atom('restricted_shell_started')) return 'restricted shell starts now';
      if (term === atom('restricted_shell_stopped')) return 'restricted shell stopped';
      if (term === atom('calling_self')) return 'the current process attempted to call itself';
    }
  } else if (err && trace1.kind === 'shell' && term === atom('function_clause')) {
    return `no function clause matching call to ${writeTerm(trace1.f)}/${writeTerm(trace1.a)}`;
  } else if (err && trace1.kind === 'frame') {
    const fr = trace1.frame;
    if (term === atom('function_clause')) {
      const args = listToArray(fr.a)!;
      const pre1 = s + spaces(exited(cls).length);
      return formatCall('no function clause matching ', pre1, { m: fr.m, f: fr.f }, args, cx) + ' ' + location(fr.info);
    }
    if (term === atom('undef')) {
      const n = isInteger(fr.a) ? Number(fr.a) : listToArray(fr.a)!.length;
      return `undefined function ${mfaToString(fr.m, fr.f, n, cx.enc)}`;
    }
  }
  // anything else: the term itself
  return cx.pf(term, s.length + 1 + exited(cls).length);
}

/** How a process exit reason reads in the shell's "** exception exit: ..." line. */
export function formatExitReason(reason: Term, opts: ExceptionOptions = {}): string {
  return formatException(atom('exit'), reason, NIL, opts);
}
