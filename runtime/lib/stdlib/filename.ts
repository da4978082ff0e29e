// Module filename (stdlib) for Unix: file names as strings, deep lists with atoms, or binaries.
//
// A name is worked on as a JS string: a list name holds its code points, a binary name its bytes
// (one char per byte, so a UTF-8 sequence never looks like '/' or '.'). As in OTP, a result is a
// binary when an argument was one (a list argument is then encoded as UTF-8 first), else a flat
// character list. Absolute names start with '/'; `filename:absname` is relative to the node's
// working directory (runtime/vm/cwd.ts), which file:set_cwd/1 changes.

import { Atom, Bin, List, NIL, Term, atom, list } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { getCwd } from '../../vm/cwd.js';
import { chargeElements } from '../../vm/scheduler.js';
import { joinText, splitText } from '../../vm/path.js';
import { fnClause, str } from '../common.js';

const MOD = 'filename';

/** A name: its text and whether it came as a binary. */
export interface Name {
  readonly bin: boolean;
  readonly s: string;
}

/** Line of each function's first clause in filename.erl (the location function_clause reports). */
const LINE: Record<string, number> = {
  absname: 103,
  absname_join: 165,
  append: 555,
  basename: 179,
  dirname: 294,
  extension: 387,
  flatten: 827,
  join: 439,
  nativename: 796,
  pathtype: 578,
  rootname: 634,
  split: 697,
};

function clause(fn: string, args: Term[]): never {
  throw fnClause(MOD, fn, args, LINE[fn] ?? 0);
}

/**
 * The characters of a list name: code points, atoms and nested lists, flattened. Undefined for
 * anything else (a binary inside a list is not a name for the functions that walk characters).
 */
export function flatChars(t: Term): string | undefined {
  if (t instanceof Atom) return t.name;
  let s = '';
  const stack: Term[] = [];
  let l: Term = t;
  for (;;) {
    while (l instanceof List) {
      const h = l.head;
      if (typeof h === 'number' && Number.isInteger(h) && h >= 0 && h <= 0x10ffff) s += String.fromCodePoint(h);
      else if (h instanceof Atom) s += h.name;
      else if (h instanceof List || h === NIL) {
        stack.push(l.tail);
        l = h;
        continue;
      } else return undefined;
      l = l.tail;
    }
    if (l instanceof Atom) s += l.name;
    else if (l !== NIL) return undefined;
    if (stack.length === 0) return s;
    l = stack.pop()!;
  }
}

function bytesText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

function textBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A name argument, or function_clause naming the function. */
export function nameArg(fn: string, args: Term[], t: Term): Name {
  if (t instanceof Bin) {
    if (!t.isBinary) clause(fn, args);
    chargeElements(t.bytes.length); // read and worked on in one native step: charged per character
    return { bin: true, s: bytesText(t.bytes) };
  }
  const s = flatChars(t);
  if (s === undefined) clause(fn, args);
  chargeElements(s.length);
  return { bin: false, s };
}

/** The name as a binary name: a list's characters as UTF-8 (the native file name encoding). */
function asBinary(n: Name, fn: string, args: Term[]): Name {
  if (n.bin) return n;
  for (const ch of n.s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) throw badarg(MOD, fn, args);
  }
  return { bin: true, s: bytesText(new TextEncoder().encode(n.s)) };
}

/** Two names made alike: both binaries when either is one. */
function alike(a: Name, b: Name, fn: string, args: Term[]): [Name, Name] {
  if (a.bin === b.bin) return [a, b];
  return [asBinary(a, fn, args), asBinary(b, fn, args)];
}

export function nameTerm(n: Name): Term {
  return n.bin ? new Bin(textBytes(n.s)) : str(n.s);
}

const like = (n: Name, s: string): Name => ({ bin: n.bin, s });

// ---------- the operations, on text ----------

export function join2(a: Name, b: Name): Name {
  if (b.s.startsWith('/')) return like(b, joinText(b.s, undefined));
  return like(a, joinText(a.s, b.s));
}

export function basenameText(n: Name): string {
  if (n.bin) {
    const parts = n.s.split('/').filter((p) => p !== '');
    return parts.length === 0 ? '' : parts[parts.length - 1];
  }
  // the last component; a single trailing slash is dropped, a name ending in "//" has an empty one
  const s = n.s;
  if (s.endsWith('/')) {
    const body = s.slice(0, -1);
    if (body.endsWith('/') || body === '') return '';
    return body.slice(body.lastIndexOf('/') + 1);
  }
  return s.slice(s.lastIndexOf('/') + 1);
}

function basenameExt(n: Name, ext: string): string {
  const s = n.s;
  if (n.bin) {
    const base = basenameText(n);
    const keep = base.length - ext.length;
    if (keep < 0 || !s.endsWith(ext)) return base;
    return s.slice(s.length - ext.length - keep, s.length - ext.length);
  }
  // walk the name: the current component, cut where the rest is exactly the extension
  let comp = '';
  for (let i = 0; i < s.length; i++) {
    if (s.slice(i) === ext) return comp;
    const ch = s[i];
    if (ch === '/') {
      if (i === s.length - 1) return comp;
      comp = '';
    } else comp += ch;
  }
  return comp;
}

export function dirnameText(s: string): string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return '.';
  let dir = s.slice(0, slash);
  while (dir.endsWith('/')) dir = dir.slice(0, -1);
  return dir === '' ? '/' : dir;
}

export function extensionText(s: string): string {
  let comp = s.slice(s.lastIndexOf('/') + 1);
  // a dot that starts a component (".bashrc") begins no extension
  if (comp.startsWith('.')) comp = comp.slice(1);
  const dot = comp.lastIndexOf('.');
  return dot < 0 ? '' : comp.slice(dot);
}

export function rootnameText(s: string): string {
  // root so far, and the extension being read (from its dot); a dot right after a slash is part of the name
  let root = '';
  let ext = '';
  for (const ch of s) {
    if (ch === '/') {
      root += ext + '/';
      ext = '';
    } else if (ch === '.') {
      if (ext === '' && root.endsWith('/')) root += ch;
      else {
        root += ext;
        ext = '.';
      }
    } else if (ext === '') root += ch;
    else ext += ch;
  }
  return root;
}

function rootnameExt(s: string, ext: string): string {
  if (!s.endsWith(ext)) return s;
  const root = s.slice(0, s.length - ext.length);
  // an extension that would be a whole component stays
  return root.endsWith('/') ? s : root;
}

/** filename:absname/2 on names already made alike. */
function absnameIn(n: Name, base: Name): Name {
  if (n.s.startsWith('/')) return like(n, joinText(n.s, undefined));
  return like(base, joinText(base.s, n.s));
}

/** The absolute form of a name relative to the node's working directory. */
export function absname(n: Name): Name {
  const [a, b] = alike(n, { bin: false, s: getCwd() }, 'absname', []);
  return absnameIn(a, b);
}

// ---------- filename:flatten, which keeps what is not a character ----------

function flattenTerm(t: Term): Term {
  if (t instanceof Bin) return t;
  const out: Term[] = [];
  const walk = (x: Term): boolean => {
    if (x instanceof Atom) {
      for (const ch of x.name) out.push(ch.codePointAt(0)!);
      return true;
    }
    const stack: Term[] = [];
    let l: Term = x;
    for (;;) {
      while (l instanceof List) {
        const h = l.head;
        if (h instanceof List || h === NIL) {
          stack.push(l.tail);
          l = h;
          continue;
        }
        if (h instanceof Atom) for (const ch of h.name) out.push(ch.codePointAt(0)!);
        else out.push(h);
        l = l.tail;
      }
      if (l instanceof Atom) for (const ch of l.name) out.push(ch.codePointAt(0)!);
      else if (l !== NIL) return false;
      if (stack.length === 0) return true;
      l = stack.pop()!;
    }
  };
  if (!walk(t)) clause('flatten', [t]);
  return list(out);
}

// ---------- the module ----------

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(MOD, name, arity, impl);

def('join', 1, (parts) => {
  const items: Term[] = [];
  let l = parts;
  while (l instanceof List) {
    items.push(l.head);
    l = l.tail;
  }
  if (l !== NIL || items.length === 0) clause('join', [parts]);
  let acc = nameArg('join', [parts], items[0]);
  if (items.length === 1) return nameTerm(like(acc, joinText(acc.s, undefined)));
  for (let i = 1; i < items.length; i++) {
    const [a, b] = alike(acc, nameArg('join', [parts], items[i]), 'join', [parts]);
    acc = join2(a, b);
  }
  return nameTerm(acc);
});

def('join', 2, (x, y) => {
  const args = [x, y];
  const [a, b] = alike(nameArg('join', args, x), nameArg('join', args, y), 'join', args);
  return nameTerm(join2(a, b));
});

def('append', 2, (x, y) => {
  const args = [x, y];
  const [a, b] = alike(nameArg('append', args, x), nameArg('append', args, y), 'append', args);
  return nameTerm(like(a, a.s + '/' + b.s));
});

def('basename', 1, (x) => {
  const n = nameArg('basename', [x], x);
  return nameTerm(like(n, basenameText(n)));
});

def('basename', 2, (x, e) => {
  const args = [x, e];
  const [n, ext] = alike(nameArg('basename', args, x), nameArg('basename', args, e), 'basename', args);
  return nameTerm(like(n, basenameExt(n, ext.s)));
});

def('dirname', 1, (x) => {
  const n = nameArg('dirname', [x], x);
  return nameTerm(like(n, dirnameText(n.s)));
});

def('extension', 1, (x) => {
  const n = nameArg('extension', [x], x);
  return nameTerm(like(n, extensionText(n.s)));
});

def('rootname', 1, (x) => {
  const n = nameArg('rootname', [x], x);
  return nameTerm(like(n, rootnameText(n.s)));
});

def('rootname', 2, (x, e) => {
  const args = [x, e];
  const [n, ext] = alike(nameArg('rootname', args, x), nameArg('rootname', args, e), 'rootname', args);
  return nameTerm(like(n, rootnameExt(n.s, ext.s)));
});

def('split', 1, (x) => {
  const n = nameArg('split', [x], x);
  return list(splitText(n.s).map((p) => nameTerm(like(n, p))));
});

def('absname', 1, (x) => nameTerm(absname(nameArg('absname', [x], x))));

def('absname', 2, (x, base) => {
  const args = [x, base];
  const [n, b] = alike(nameArg('absname', args, x), nameArg('absname', args, base), 'absname', args);
  return nameTerm(absnameIn(n, b));
});

def('absname_join', 2, (base, x) => {
  const args = [base, x];
  const [b, n] = alike(nameArg('absname_join', args, base), nameArg('absname_join', args, x), 'absname_join', args);
  return nameTerm(join2(b, n));
});

def('nativename', 1, (x) => {
  const n = nameArg('nativename', [x], x);
  return nameTerm(like(n, joinText(n.s, undefined)));
});

def('pathtype', 1, (x) => {
  const n = nameArg('pathtype', [x], x);
  return atom(n.s.startsWith('/') ? 'absolute' : 'relative');
});

def('flatten', 1, (x) => flattenTerm(x));

// validate/1: can the name be given to the system? Not empty, no NUL, characters only.
def('validate', 1, (x) => {
  if (x instanceof Atom) return x.name !== '' && !x.name.includes('\0') ? atom('true') : atom('false');
  if (x instanceof Bin && x.isBinary) return atom(x.bytes.length > 0 && !x.bytes.includes(0) ? 'true' : 'false');
  if (!(x instanceof List || x === NIL)) throw fnClause(MOD, 'validate', [x], 1045);
  const s = flatChars(x);
  return atom(s !== undefined && s !== '' && !s.includes('\0') ? 'true' : 'false');
});
