// Module file (kernel): files of Erlang expressions run as scripts (eval/1,2, script/1,2), and the
// functions that look for a file along a path of directories (path_consult, path_eval,
// path_script, path_open).
//
// A script is a sequence of dot-terminated expression lists, each evaluated with the bindings the
// ones before it made (erl_eval's, through the language's shell compiler). As OTP's, failures are
// values: {error, Posix} when the file cannot be read, {error, {Line, erl_parse, Message}} for a
// syntax error, and {error, {Line, file, {Class, Reason, Stack}}} when an expression raises, Line
// being the line after the one its dot is on (where OTP's reader stands then). A script with no
// expressions is {error, {Line, file, undefined_script}}.
//
// A path search tries Dir/Name in each directory in turn ("." adds nothing to the name), going on
// past enoent and enotdir; an absolute name is opened as it is.

import { readFileSync } from 'node:fs';
import { List, NIL, Term, Tuple, atom, list, tuple, OK } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { isErlangException } from '../../vm/exception.js';
import { ErlSyntaxError, language } from '../language.js';
import { fnClause, str } from '../common.js';
import { consult, decodeSource, syntaxReason } from './file_consult.js';
import { errnoReason } from './file_io_server.js';
import { fileName, openFile, pathOf } from './file.js';

const MOD = 'file';
const A = {
  ok: OK,
  error: atom('error'),
  badarg: atom('badarg'),
  file: atom('file'),
  enoent: atom('enoent'),
  enotdir: atom('enotdir'),
  read: atom('read'),
  unbound_var: atom('unbound_var'),
  function_clause: atom('function_clause'),
  undefined_script: atom('undefined_script'),
  file_io_server: atom('file_io_server'),
  invalid_unicode: atom('invalid_unicode'),
};

const error = (why: Term): Term => tuple(A.error, why);

/** The text of a file, or the reason it cannot be read. */
function readText(path: string): { text: string } | { why: Term } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(pathOf(path));
  } catch (e) {
    return { why: atom(errnoReason(e)) };
  }
  const text = decodeSource(bytes);
  return typeof text === 'string' ? { text } : { why: tuple(text.line, A.file_io_server, A.invalid_unicode) };
}

/** Offset in `text` of the 1-based (line, col). */
function offsetOf(text: string, line: number, col: number): number {
  let i = 0;
  for (let l = 1; l < line; l++) i = text.indexOf('\n', i) + 1;
  return i + col - 1;
}

const lineCount = (s: string): number => s.split('\n').length - 1;

/**
 * Run the expressions of a script's text with the bindings given: {ok, Value} of the last one
 * (undefined when there is none), or the first error. As OTP's reader, it goes on past a form that
 * does not parse or that raises (with the bindings from before that form), so later forms still run.
 */
function* runScript(text: string, bindings: Term): Generator<unknown, { ok: Term | undefined } | { error: Term }, unknown> {
  const lang = language();
  let bound = lang.bindingsFromTerm(bindings);
  let rest = text;
  let before = 0; // lines of the text before `rest`
  let last: Term | undefined;
  let first: Term | undefined; // the first error, the answer once the text is done
  const syntaxError = (e: unknown): void => {
    if (!(e instanceof ErlSyntaxError)) throw e;
    first ??= syntaxReason(e, text);
  };
  for (;;) {
    const dot = lang.firstDot(rest);
    if (dot === undefined) {
      // what is left is blank or comments, or an expression without its dot
      if (rest.trim() !== '' && !/^(\s*%[^\n]*)*\s*$/.test(rest)) {
        try {
          lang.parseExprs('\n'.repeat(before) + rest);
        } catch (e) {
          syntaxError(e);
        }
      }
      if (first !== undefined) return { error: first };
      return last === undefined ? { error: tuple(before + 1, A.file, A.undefined_script) } : { ok: last };
    }
    let end = offsetOf(rest, dot.line, dot.col) + 1;
    // the dot's whitespace belongs to it: the reader stands on the next line after "X.\n"
    if (rest[end] === '\n') end++;
    const chunk = rest.slice(0, end);
    rest = rest.slice(end);
    let exprs;
    try {
      exprs = lang.parseExprs('\n'.repeat(before) + chunk);
    } catch (e) {
      syntaxError(e);
      before += lineCount(chunk);
      continue;
    }
    before += lineCount(chunk);
    const at = before + 1;
    const raised = (cls: Term, reason: Term, stack: Term = NIL): void => {
      first ??= tuple(at, A.file, tuple(cls, reason, stack));
    };
    if (bound === undefined) return { error: tuple(at, A.file, tuple(A.error, A.function_clause, NIL)) };
    const compiled = lang.compileShell(exprs, new Set(bound.keys()), {});
    if (!compiled.ok) {
      const m = /^variable '(.*)' is unbound$/.exec(compiled.errors[0]?.message ?? '');
      raised(A.error, m ? tuple(A.unbound_var, atom(m[1])) : atom(compiled.errors[0]?.message ?? 'illegal_expr'));
      continue;
    }
    try {
      const r = yield* compiled.run(bound);
      bound = r.bindings;
      last = r.value;
    } catch (e) {
      if (!isErlangException(e)) throw e;
      raised(e.cls, e.reason, e.stack);
    }
  }
}

/** script/eval of a named file: what runScript answers, or the file's reason. */
function* scriptOf(name: Term, bindings: Term): Generator<unknown, { ok: Term | undefined } | { error: Term }, unknown> {
  const n = fileName(name);
  if (n === undefined) return { error: A.badarg };
  const read = n === '' ? { why: A.enoent } : readText(n);
  if ('why' in read) return { error: read.why };
  return yield* runScript(read.text, bindings);
}

const noBindings = (): Term => NIL;

function* script(name: Term, bindings: Term): Generator<unknown, Term, unknown> {
  const r = yield* scriptOf(name, bindings);
  return 'error' in r ? error(r.error) : tuple(A.ok, r.ok!);
}

function* evalFile(name: Term, bindings: Term): Generator<unknown, Term, unknown> {
  const r = yield* scriptOf(name, bindings);
  if ('error' in r && !isUndefinedScript(r.error)) return error(r.error);
  return OK;
}

// eval runs an empty file happily
function isUndefinedScript(why: Term): boolean {
  return why instanceof Tuple && why.elements[2] === A.undefined_script;
}

defineGenBif(MOD, 'script', 1, function* (name: Term) {
  return yield* script(name, noBindings());
});
defineGenBif(MOD, 'script', 2, function* (name: Term, bs: Term) {
  return yield* script(name, bs);
});
defineGenBif(MOD, 'eval', 1, function* (name: Term) {
  return yield* evalFile(name, noBindings());
});
defineGenBif(MOD, 'eval', 2, function* (name: Term, bs: Term) {
  return yield* evalFile(name, bs);
});

// ---------- along a path ----------

/** Dir/Name as OTP joins them for a path search. */
function joinDir(dir: string, name: string): string {
  if (dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * The first directory of the path in which `attempt` finds the file: its answer and the full
 * name, or the reason (enoent when no directory has it).
 */
function* alongPath<T>(
  path: Term,
  name: Term,
  attempt: (full: string) => Generator<unknown, { found: T } | { why: Term }, unknown>,
): Generator<unknown, { found: T; full: string } | { why: Term }, unknown> {
  const n = fileName(name);
  if (n === undefined) return { why: A.badarg };
  if (n.startsWith('/')) {
    const r = yield* attempt(n);
    return 'found' in r ? { found: r.found, full: n } : r;
  }
  let l = path;
  for (; l instanceof List; l = l.tail) {
    const dir = fileName(l.head);
    if (dir === undefined) return { why: A.badarg };
    const full = joinDir(dir, n);
    const r = yield* attempt(full);
    if ('found' in r) return { found: r.found, full };
    if (r.why !== A.enoent && r.why !== A.enotdir) return r;
  }
  if (l !== NIL) throw fnClause(MOD, 'path_open_first', [l, name, list([A.read]), A.enoent], 1525);
  return { why: A.enoent };
}

/** Can the file be read? (a path search goes on past the names it cannot find) */
function* readable(full: string): Generator<unknown, { found: string } | { why: Term }, unknown> {
  const r = full === '' ? { why: A.enoent } : readText(full);
  return 'why' in r ? r : { found: r.text };
}

function* pathScript(path: Term, name: Term, bs: Term, caller: string): Generator<unknown, Term, unknown> {
  const at = yield* alongPath(path, name, readable);
  if ('why' in at) return error(at.why);
  const r = yield* runScript(at.found, bs);
  if ('error' in r) {
    if (caller === 'path_eval' && isUndefinedScript(r.error)) return tuple(A.ok, str(at.full));
    return error(r.error);
  }
  return caller === 'path_eval' ? tuple(A.ok, str(at.full)) : tuple(A.ok, r.ok!, str(at.full));
}

defineGenBif(MOD, 'path_script', 2, function* (path: Term, name: Term) {
  return yield* pathScript(path, name, noBindings(), 'path_script');
});
defineGenBif(MOD, 'path_script', 3, function* (path: Term, name: Term, bs: Term) {
  return yield* pathScript(path, name, bs, 'path_script');
});
defineGenBif(MOD, 'path_eval', 2, function* (path: Term, name: Term) {
  return yield* pathScript(path, name, noBindings(), 'path_eval');
});
defineGenBif(MOD, 'path_eval', 3, function* (path: Term, name: Term, bs: Term) {
  return yield* pathScript(path, name, bs, 'path_eval');
});

defineGenBif(MOD, 'path_consult', 2, function* (path: Term, name: Term) {
  const at = yield* alongPath<Term[]>(path, name, function* (full) {
    const r = consult(full);
    return r.ok ? { found: r.terms } : { why: r.why };
  });
  return 'why' in at ? error(at.why) : tuple(A.ok, list(at.found), str(at.full));
});

defineGenBif(MOD, 'path_open', 3, function* (path: Term, name: Term, modes: Term) {
  const at = yield* alongPath<Term>(path, name, function* (full) {
    const r = openFile(str(full), modes) as Tuple;
    return r.elements[0] === A.ok ? { found: r.elements[1] } : { why: r.elements[1] };
  });
  return 'why' in at ? error(at.why) : tuple(A.ok, at.found, str(at.full));
});
