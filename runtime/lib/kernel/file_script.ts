// file:script/1,2 and file:eval/1,2: a file of dot-terminated expression sequences, each evaluated
// by erl_eval:exprs with the bindings the ones before it made; and the path_ versions (with
// path_consult) that try each directory of a path. As in OTP, evaluation goes on after a form that
// fails; the first failure is the answer:
//   {error, {Line, erl_parse | erl_scan, Message}}   a form does not read (Line: where it starts)
//   {error, {Line, file, {Class, Reason, Stack}}}    a form raised (Line: where the next one starts)

import { join } from 'node:path';
import { List, Term, Tuple, atom, charlist, list, tuple, NIL, OK } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { isErlangException } from '../../vm/exception.js';
import { language, ErlSyntaxError } from '../language.js';
import type { Token } from '../../../src/scan.js';
import { consult, readSource } from './file_consult.js';
import { fileName } from './file.js';
import { parseMessage, scanDescTerm } from '../stdlib/erl_tokens.js';

const A = {
  ok: atom('ok'),
  error: atom('error'),
  enoent: atom('enoent'),
  badarg: atom('badarg'),
  value: atom('value'),
  file: atom('file'),
  erl_parse: atom('erl_parse'),
  erl_scan: atom('erl_scan'),
  erl_eval: atom('erl_eval'),
  exprs: atom('exprs'),
};

type Outcome = { ok: true; value: Term } | { ok: false; why: Term };

/** One form of the file: its tokens through the dot, or the error that spoiled it, and the line after it. */
interface Form {
  tokens: Token[];
  scanError?: Term;
  endLine: number;
}

function forms(text: string): Form[] {
  const r = language().scanText(text, { line: 1, col: 1 });
  const out: Form[] = [];
  let start = 0;
  let nextError = 0;
  const take = (end: number, endLine: number): void => {
    const f: Form = { tokens: r.tokens.slice(start, end), endLine };
    const e = r.errors[nextError];
    if (e !== undefined && e.tokenIndex <= end) {
      f.scanError = tuple(e.line, A.erl_scan, scanDescTerm(e.desc));
      while (r.errors[nextError] !== undefined && r.errors[nextError].tokenIndex <= end) nextError++;
    }
    out.push(f);
    start = end;
  };
  r.tokens.forEach((t, k) => {
    if (t.kind === 'dot') take(k + 1, r.afterDot.get(k)!.line);
  });
  if (start < r.tokens.length || nextError < r.errors.length) take(r.tokens.length, r.endLine);
  return out;
}

function parseError(e: ErlSyntaxError): Term {
  return tuple(e.line, A.erl_parse, parseMessage(e.reason));
}

/** Evaluate every form of the text in turn; the value of the last one, or the first failure. */
function* evalText(text: string, bindings: Term): Generator<unknown, Outcome, unknown> {
  const exprs = codeServer.fn(A.erl_eval, A.exprs, 2);
  let bs = bindings;
  let last: Term = NIL;
  const errors: Term[] = [];
  for (const f of forms(text)) {
    if (f.scanError !== undefined) {
      errors.push(f.scanError);
      continue;
    }
    let abs: Term;
    try {
      abs = list(language().parseExprTokens(f.tokens).map((e) => language().abstractExpr(e, false)));
    } catch (e) {
      if (!(e instanceof ErlSyntaxError)) throw e;
      errors.push(parseError(e));
      continue;
    }
    try {
      const r = yield* trampoline(yield* exprs(abs, bs));
      if (r instanceof Tuple && r.elements.length === 3 && r.elements[0] === A.value) {
        last = r.elements[1];
        bs = r.elements[2];
      }
    } catch (e) {
      if (!isErlangException(e)) throw e;
      errors.push(tuple(f.endLine, A.file, tuple(e.cls, e.reason, e.stack)));
    }
  }
  return errors.length > 0 ? { ok: false, why: errors[0] } : { ok: true, value: last };
}

function* evalFile(name: Term, bindings: Term): Generator<unknown, Outcome, unknown> {
  const n = fileName(name);
  if (n === undefined) return { ok: false, why: A.badarg };
  const text = readSource(n);
  if (!text.ok) return text;
  return yield* evalText(text.text, bindings);
}

defineGenBif('file', 'script', 1, function* (name: Term) {
  const r = yield* evalFile(name, NIL);
  return r.ok ? tuple(A.ok, r.value) : tuple(A.error, r.why);
});
defineGenBif('file', 'script', 2, function* (name: Term, bindings: Term) {
  const r = yield* evalFile(name, bindings);
  return r.ok ? tuple(A.ok, r.value) : tuple(A.error, r.why);
});
defineGenBif('file', 'eval', 1, function* (name: Term) {
  const r = yield* evalFile(name, NIL);
  return r.ok ? OK : tuple(A.error, r.why);
});
defineGenBif('file', 'eval', 2, function* (name: Term, bindings: Term) {
  const r = yield* evalFile(name, bindings);
  return r.ok ? OK : tuple(A.error, r.why);
});

// ---------- the path_ versions: the first directory that has the file ----------

function* onPath(
  path: Term,
  name: Term,
  run: (full: string) => Generator<unknown, Outcome, unknown>,
): Generator<unknown, { ok: true; value: Term; full: string } | { ok: false; why: Term }, unknown> {
  const n = fileName(name);
  if (n === undefined) return { ok: false, why: A.badarg };
  const dirs: string[] = [];
  for (let l = path; l instanceof List; l = l.tail) {
    const d = fileName(l.head);
    if (d !== undefined) dirs.push(d);
  }
  for (const dir of dirs) {
    const full = join(dir, n);
    const r = yield* run(full);
    if (r.ok) return { ...r, full };
    if (r.why !== A.enoent) return r;
  }
  return { ok: false, why: A.enoent };
}

function* consultOutcome(full: string): Generator<unknown, Outcome, unknown> {
  const r = consult(full);
  return r.ok ? { ok: true, value: list(r.terms) } : r;
}

function* scriptOutcome(full: string, bindings: Term): Generator<unknown, Outcome, unknown> {
  const text = readSource(full);
  if (!text.ok) return text;
  return yield* evalText(text.text, bindings);
}

defineGenBif('file', 'path_consult', 2, function* (path: Term, name: Term) {
  const r = yield* onPath(path, name, consultOutcome);
  return r.ok ? tuple(A.ok, r.value, charlist(r.full)) : tuple(A.error, r.why);
});
defineGenBif('file', 'path_script', 2, function* (path: Term, name: Term) {
  const r = yield* onPath(path, name, (full) => scriptOutcome(full, NIL));
  return r.ok ? tuple(A.ok, r.value, charlist(r.full)) : tuple(A.error, r.why);
});
defineGenBif('file', 'path_script', 3, function* (path: Term, name: Term, bindings: Term) {
  const r = yield* onPath(path, name, (full) => scriptOutcome(full, bindings));
  return r.ok ? tuple(A.ok, r.value, charlist(r.full)) : tuple(A.error, r.why);
});
defineGenBif('file', 'path_eval', 2, function* (path: Term, name: Term) {
  const r = yield* onPath(path, name, (full) => scriptOutcome(full, NIL));
  return r.ok ? tuple(A.ok, charlist(r.full)) : tuple(A.error, r.why);
});
