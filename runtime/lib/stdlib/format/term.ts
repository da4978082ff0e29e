// Terms as text: ~w (io_lib:write) and ~p (io_lib_pretty, see pretty.ts).

import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  List,
  NIL,
  Pid,
  Port,
  Ref,
  Term,
  Tuple,
} from '../../../vm/term.js';
import { node, NONODE } from '../../../vm/node.js';
import { Encoding, writeAtom } from './chars.js';
import { Deep, DeepList, flatten } from './deep.js';
import { formatFloat } from './float.js';

export interface PrintOptions {
  /** the channel number printed for a remote node's pid/ref/port: <C.N.S>; the local node prints 0 */
  pidNode?: (node: Atom) => number;
  /** this node's name; pids of other nodes are printed with pidNode's number */
  localNode?: Atom;
  /** latin1 (~p, ~w: atom characters above 255 escaped, only latin1 lists are strings) or unicode (~tp, ~tw) */
  encoding?: Encoding;
  /** io:printable_range() (erl +pc): which lists ~tp prints as strings. Default latin1, as erl. */
  printableRange?: Encoding;
  /** the shell's record definitions: field names of record Tag with Size fields, or undefined */
  recordDefs?: (tag: Atom, size: number) => Atom[] | undefined;
}

export interface PrettyOptions extends PrintOptions {
  /** start column, default 1 */
  column?: number;
  /** line length, default 80 */
  lineLength?: number;
  /** print depth (~P), -1 for no limit */
  depth?: number;
  /** the most characters on a line (the shell uses 60), -1 for no limit */
  lineMaxChars?: number;
  /** print lists of characters as strings (default true; ~lp turns it off) */
  strings?: boolean;
}

/** The shell's erl_eval funs: module erl_eval, this uniq, an index by arity (see evalFunIndex). */
export const ERL_EVAL_UNIQ = 3316493;

/**
 * The index erl_eval's fun of this arity has in OTP 25: `fun(X) -> X end` prints
 * #Fun<erl_eval.42.3316493>. Named funs (`fun F(X) -> ... end`) come from another table.
 */
export function evalFunIndex(arity: number, named: boolean): number {
  return named ? 20 - arity : 43 - arity;
}

/** A shell fun is named when its env is erl_eval's 7-tuple {Anno,En,Lf,Ef,FUVs,Clauses,Name}. */
function isNamedEvalFun(env: Term): boolean {
  return env instanceof Tuple && env.elements.length === 7;
}

/**
 * The number a pid, ref or port of `n` prints with: the caller's pidNode, else distribution's
 * number for a connected node (0 for this node and when not distributed).
 */
function creationNumber(n: Atom, opts?: PrintOptions): number {
  if (opts?.localNode !== undefined && n === opts.localNode) return 0;
  if (opts?.pidNode !== undefined) return opts.pidNode(n);
  const channelOf = node.dist?.channelOf;
  return channelOf === undefined || n === node.name || n === NONODE ? 0 : channelOf.call(node.dist, n);
}

export function formatPid(p: Pid, opts?: PrintOptions): string {
  return `<${creationNumber(p.node, opts)}.${p.id}.${p.serial}>`;
}

export function formatRef(r: Ref, opts?: PrintOptions): string {
  // erts prints the most significant word first; ids[0] is the least significant
  const words = [...r.ids].reverse().join('.');
  return `#Ref<${creationNumber(r.node, opts)}.${words}>`;
}

export function formatPort(p: Port, opts?: PrintOptions): string {
  return `#Port<${creationNumber(p.node, opts)}.${p.id}>`;
}

/** erlang:fun_to_list/1 */
export function formatFun(f: Fun): string {
  const i = f.info;
  switch (i.kind) {
    case 'export':
      return `fun ${writeAtom(i.module)}:${writeAtom(i.name)}/${i.arity}`;
    case 'local':
    case 'foreign':
      return `#Fun<${i.module.name}.${i.index}.${i.uniq}>`;
    case 'eval':
      return `#Fun<erl_eval.${evalFunIndex(f.arity, isNamedEvalFun(i.env))}.${ERL_EVAL_UNIQ}>`;
  }
}

/** An atom as ~p prints it: quoted when needed ('hello-world', 'Cap', ''). */
export function formatAtom(a: Atom, enc: Encoding = 'unicode'): string {
  return writeAtom(a, enc);
}

export function formatInteger(i: number | bigint): string {
  return typeof i === 'bigint' ? i.toString() : String(i);
}

/**
 * The body of a bitstring as io_lib writes it: ["1", 44, "2", 44, "3"] for <<1,2,3>>,
 * ["1", 44, "2", 58, "3"] for <<1,2:3>>; depth counts one per element ("..." when reached).
 */
export function writeBinaryBody(b: Bin, depth: number): Array<number | string> {
  const out: Array<number | string> = [];
  const whole = Math.floor(b.bitSize / 8);
  const restBits = b.bitSize % 8;
  const count = whole + (restBits > 0 ? 1 : 0);
  let d = depth;
  for (let i = 0; i < count; i++) {
    if (d === 1) {
      out.push('...');
      return out;
    }
    if (i < whole) out.push(String(b.bytes[i]));
    else out.push(String(b.bytes[i] >> (8 - restBits)), 58, String(restBits));
    if (i + 1 < count) out.push(44);
    d--;
  }
  return out;
}

export function writeBinaryDeep(b: Bin, depth = -1): Deep {
  return [60, 60, writeBinaryBody(b, depth), 62, 62];
}

export function writeBinary(b: Bin, depth = -1): string {
  return flatten(writeBinaryDeep(b, depth));
}

/** Map entries in the order maps:iterator/1 walks them (term order of keys). */
export function mapEntries(m: ErlMap): [Term, Term][] {
  return m.sorted();
}

/** ~w: io_lib:write/2. No line breaks; lists of integers stay lists. */
export function writeTerm(t: Term, opts?: PrintOptions & { depth?: number }): string {
  return flatten(writeDeep(t, opts));
}

/** io_lib:write/2 as the deep character list OTP returns ([123,["a",44,"b"],125] for {a,b}). */
export function writeDeep(t: Term, opts?: PrintOptions & { depth?: number }): Deep {
  return write(t, opts?.depth ?? -1, opts?.encoding ?? 'latin1', opts);
}

function write(t: Term, d: number, enc: Encoding, opts: PrintOptions | undefined): Deep {
  if (d === 0) return '...';
  if (typeof t === 'number' || typeof t === 'bigint') return formatInteger(t);
  if (t instanceof ErlFloat) return formatFloat(t.value);
  if (t instanceof Atom) return writeAtom(t, enc);
  if (t instanceof Tuple) {
    const es = t.elements;
    if (es.length === 0) return '{}';
    if (d === 1) return '{...}';
    // [${, [write(E1) | write_tuple(T, 2)], $}]
    const inner: DeepList = [write(es[0], d - 1, enc, opts)];
    let dd = d - 1;
    for (let i = 1; i < es.length; i++) {
      if (dd === 1) {
        inner.push(44, 46, 46, 46);
        break;
      }
      inner.push(44, write(es[i], dd - 1, enc, opts));
      dd--;
    }
    return [123, inner, 125];
  }
  if (t === NIL) return '[]';
  if (t instanceof List) {
    if (d === 1) return '[...]';
    // [$[, [write(H) | write_tail(T)], $]]
    const inner: DeepList = [write(t.head, d - 1, enc, opts)];
    let rest: Term = t.tail;
    let dd = d - 1;
    while (rest !== NIL) {
      if (dd === 1) {
        inner.push(124, 46, 46, 46);
        break;
      }
      if (rest instanceof List) {
        inner.push(44, write(rest.head, dd - 1, enc, opts));
        rest = rest.tail;
        dd--;
      } else {
        inner.push(124, write(rest, dd - 1, enc, opts));
        break;
      }
    }
    return [91, inner, 93];
  }
  if (t instanceof Bin) return writeBinaryDeep(t, d);
  if (t instanceof ErlMap) {
    const entries = mapEntries(t);
    if (d === 1 || entries.length === 0) return '#{}';
    // every association is written at the same depth; the count of them shrinks the depth,
    // and reaching 1 writes ",..." even when no association is left (as io_lib does)
    const d0 = d - 1;
    const assoc = (k: Term, v: Term): Deep => [write(k, d0, enc, opts), ' => ', write(v, d0, enc, opts)];
    const inner: DeepList = [assoc(entries[0][0], entries[0][1])];
    let dd = d0;
    for (let i = 1; i < entries.length && dd !== 1; i++) {
      inner.push(44, assoc(entries[i][0], entries[i][1]));
      dd--;
    }
    if (dd === 1) inner.push(44, 46, 46, 46);
    return [35, 123, inner, 125];
  }
  if (t instanceof Pid) return formatPid(t, opts);
  if (t instanceof Ref) return formatRef(t, opts);
  if (t instanceof Port) return formatPort(t, opts);
  if (t instanceof Fun) return formatFun(t);
  throw new Error('writeTerm: not a term');
}
