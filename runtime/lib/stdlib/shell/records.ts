// The shell's record commands, as shell.erl has them: rr/1,2,3 read definitions from files (wildcards
// allowed) or from a module, rl/0,1 list them as -record(...). lines, rf/0,1 forget them, rp/1
// prints a term using them. rd/2 is rewritten before evaluation (special.ts).

import { Atom, List, NIL, Term, Tuple, atom, list, listToArray, listToString, OK } from '../../../vm/term.js';
import { erlError } from '../../../vm/exception.js';
import { codeServer } from '../../../vm/code_server.js';
import { getCwd } from '../../../vm/cwd.js';
import { libraryAppDir } from '../../../vm/code_path.js';
import { writeTerm } from '../format/term.js';
import { language } from '../../language.js';
import type { RecordDef } from '../../../../src/compile/shell.js';
import { tuple } from '../../../vm/term.js';

const ERROR = atom('error');

/** The names a selection covers: '_' (all), one name, or a list of names. */
function names(sel: Term): string[] | '_' {
  if (sel === atom('_')) return '_';
  const items = sel instanceof List || sel === NIL ? listToArray(sel) ?? [] : [sel];
  return items.filter((t): t is Atom => t instanceof Atom).map((a) => a.name);
}

/** rr's options: {d, Macro}, {d, Macro, Value}, {i, Dir}. */
function options(opts: Term): { includes: string[]; macros: Record<string, string | undefined> } {
  const items = opts instanceof List || opts === NIL ? listToArray(opts) ?? [] : [opts];
  const includes: string[] = [];
  const macros: Record<string, string | undefined> = {};
  for (const o of items) {
    if (!(o instanceof Tuple)) continue;
    const [tag, a, b] = o.elements;
    if (tag === atom('i') && a !== undefined) {
      const dir = listToString(a) ?? (a instanceof Atom ? a.name : undefined);
      if (dir !== undefined) includes.push(dir);
    } else if (tag === atom('d') && a instanceof Atom) {
      macros[a.name] = b === undefined ? undefined : writeTerm(b);
    }
  }
  return { includes, macros };
}

/** Modules terl writes in TypeScript whose records are in a header (erl reads them from the .beam). */
const NATIVE_RECORDS: Record<string, [app: string, header: string]> = { file: ['kernel', 'include/file.hrl'] };

function headerOfNative(module: string): string | undefined {
  const h = NATIVE_RECORDS[module];
  const dir = h === undefined ? undefined : libraryAppDir(h[0]);
  return dir === undefined ? undefined : `${dir}/${h[1]}`;
}

/** The definitions rr/1,2,3 reads: {error, Why} as a term when it cannot. */
function readRecords(what: Term, opts: Term): RecordDef[] | Term {
  const { includes, macros } = options(opts);
  const cwd = getCwd();
  if (what instanceof Atom) {
    // a module: terl's object code is its source, so the records come from the .erl it was loaded from
    codeServer.ensureLoaded(what);
    const file = headerOfNative(what.name) ?? codeServer.which(what) ?? language().findSource(what.name);
    if (file === undefined || file === 'preloaded') return tuple(ERROR, atom('nofile'));
    const r = language().fileRecords(file, cwd, includes, macros);
    return r === 'enoent' ? tuple(ERROR, atom('nofile')) : r;
  }
  const pattern = listToString(what);
  if (pattern === undefined) return tuple(ERROR, atom('invalid_filename'));
  const files = language().wildcard(pattern, cwd);
  const out: RecordDef[] = [];
  for (const f of files) {
    const r = language().fileRecords(f, cwd, includes, macros);
    if (r !== 'enoent') out.push(...r);
  }
  return out;
}

/** rr(File | Mod, Selected, Options): the names read, sorted, or {error, Why}. */
export function rr(records: Map<string, RecordDef>, what: Term, sel: Term = atom('_'), opts: Term = NIL): Term {
  const read = readRecords(what, opts);
  if (!Array.isArray(read)) return read;
  const wanted = names(sel);
  const chosen = wanted === '_' ? read : read.filter((r) => wanted.includes(r.name));
  for (const r of chosen) records.set(r.name, r);
  return list([...new Set(chosen.map((r) => r.name))].sort().map((n) => atom(n)));
}

/** rl() / rl(Names): the definitions as erl_pp prints them (all of them sorted by name). */
export function rlText(records: Map<string, RecordDef>, sel: Term | undefined, enc: 'unicode' | 'latin1'): string {
  const chosen =
    sel === undefined
      ? [...records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      : (() => {
          const wanted = names(sel);
          if (wanted === '_') return [...records.values()];
          return wanted.map((n) => records.get(n)).filter((r): r is RecordDef => r !== undefined);
        })();
  return chosen.map((r) => language().recordText(r, enc)).join('');
}

/** rf(Names): forget them ('_' forgets all); rf() forgets all and answers []. */
export function rf(records: Map<string, RecordDef>, sel?: Term): Term {
  if (sel === undefined) {
    records.clear();
    return NIL;
  }
  const wanted = names(sel);
  if (wanted === '_') records.clear();
  else for (const n of wanted) records.delete(n);
  return OK;
}

/** A bad argument to a record command: error function_clause with shell's frame, as erl raises it. */
export function badShellArg(name: string, arity: number): never {
  throw erlError(atom('function_clause'), list([tuple(atom('shell'), atom(name), arity, NIL)]));
}
