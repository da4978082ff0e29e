// Module erl_parse (stdlib): the parser as a library, on terl's own parser (src/parse, reached
// through the language hook). Tokens (as erl_scan gives them) become expressions, a term or a form
// in the abstract format, annotated as the tokens were (Line or {Line, Col}); a syntax error is
// {error, {Location, erl_parse, Message}}. abstract/1,2 and normalise/1 go between terms and
// literal expressions; tokens/1,2 write a literal expression back as tokens.

import { Atom, List, NIL, Term, Tuple, atom, charlist, list, tuple } from '../../vm/term.js';
import { ErlangException, badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { bumpReductions } from '../../vm/scheduler.js';
import type { Token } from '../../../src/scan.js';
import { ErlSyntaxError, language } from '../language.js';
import { errorAt } from '../common.js';
import { deepToTerm } from './format/deep.js';
import { writeDeep } from './format/term.js';
import { annoParts, parseMessage, tokenFromTerm } from './erl_tokens.js';

const M = 'erl_parse';
/** A frame in erl_parse, whose source is the grammar file erl_parse.yrl. */
function yrlFrame(name: string, arityOrArgs: number | Term[], line: number): Tuple {
  const args = typeof arityOrArgs === 'number' ? arityOrArgs : list(arityOrArgs);
  return tuple(atom(M), atom(name), args, list([tuple(atom('file'), charlist('erl_parse.yrl')), tuple(atom('line'), line)]));
}

/** error:function_clause in erl_parse. */
function fnClause(name: string, args: Term[], line: number): ErlangException {
  return errorAt(atom('function_clause'), yrlFrame(name, args, line));
}

const A = {
  ok: atom('ok'),
  error: atom('error'),
  erl_parse: atom('erl_parse'),
  line: atom('line'),
  location: atom('location'),
  encoding: atom('encoding'),
};

/**
 * Tokens read back from their terms. erl_parse gives each node the annotation of the token it
 * stands on, whatever that annotation is (a line, {Line, Col}, or a list with the text): so each
 * token is parsed with its own index as its column, and the annotations of the result are then
 * the tokens' own. Undefined when one is no token.
 */
interface Read {
  tokens: Token[];
  annos: Term[];
  texts: (string | undefined)[];
}

function readTokens(t: Term): Read | undefined {
  const r: Read = { tokens: [], annos: [], texts: [] };
  let l = t;
  for (; l instanceof List; l = l.tail) {
    const tok = tokenFromTerm(l.head);
    if (tok === undefined) return undefined;
    r.texts.push(tok.text === '' ? undefined : tok.text);
    tok.col = r.tokens.length + 1;
    r.tokens.push(tok);
    r.annos.push((l.head as Tuple).elements[1]);
  }
  // the parse that follows is charged here, a few reductions a token as OTP's parser (Erlang) costs
  bumpReductions(4 * r.tokens.length);
  return l === NIL ? r : undefined;
}

/** The result with each {Line, Index} annotation replaced by that token's own annotation. */
function tokenAnnos(t: Term, r: Read): Term {
  if (t instanceof Tuple) {
    const es = t.elements;
    if (es.length >= 2 && es[0] instanceof Atom) {
      const an = es[1];
      const own = an instanceof Tuple && an.elements.length === 2 && typeof an.elements[1] === 'number' ? r.annos[an.elements[1] - 1] : undefined;
      return new Tuple(es.map((x, k) => (k === 1 && own !== undefined ? own : tokenAnnos(x, r))));
    }
    return new Tuple(es.map((x) => tokenAnnos(x, r)));
  }
  if (t instanceof List) {
    const items: Term[] = [];
    let l: Term = t;
    for (; l instanceof List; l = l.tail) items.push(tokenAnnos(l.head, r));
    return list(items, tokenAnnos(l, r));
  }
  return t;
}

/**
 * {error, {Location, erl_parse, Message}}: where the token the error names is, and "syntax error
 * before: X" as the two strings erl_parse gives, X the token's text when it carries one.
 */
function syntaxError(e: ErlSyntaxError, r: Read): Term {
  const k = e.col - 1;
  const parts = k >= 0 && k < r.annos.length ? annoParts(r.annos[k]) : undefined;
  const loc = parts === undefined ? e.line : parts.col === undefined ? parts.line : tuple(parts.line, parts.col);
  const before = 'syntax error before: ';
  const text = k >= 0 && k < r.texts.length && e.reason.startsWith(before) && e.line === r.tokens[k].line ? r.texts[k] : undefined;
  return tuple(A.error, tuple(loc, A.erl_parse, parseMessage(text === undefined ? e.reason : before + text)));
}

/** Parse tokens one way; a syntax error becomes erl_parse's error tuple. */
function parse(name: string, toks: Term, line: number, build: (tokens: Token[]) => Term): Term {
  const r = readTokens(toks);
  if (r === undefined) throw fnClause(name, [toks], line);
  try {
    return tuple(A.ok, tokenAnnos(build(r.tokens), r));
  } catch (e) {
    if (e instanceof ErlSyntaxError) return syntaxError(e, r);
    throw e;
  }
}

defineBif(M, 'parse_exprs', 1, (toks: Term) =>
  parse('parse_exprs', toks, 1, (ts) => list(language().parseExprTokens(ts).map((e) => language().abstractExpr(e, true)))),
);
defineBif(M, 'parse_term', 1, (toks: Term) => {
  // a term has no annotations: it must not pass through tokenAnnos
  const r = readTokens(toks);
  if (r === undefined) throw fnClause('parse_term', [toks], 1);
  try {
    return tuple(A.ok, language().parseTermTokens(r.tokens));
  } catch (e) {
    if (e instanceof ErlSyntaxError) return syntaxError(e, r);
    throw e;
  }
});
defineBif(M, 'parse_form', 1, (toks: Term) => {
  const r = readTokens(toks);
  if (r === undefined) throw fnClause('parse_form', [toks], 1);
  try {
    const form = language().abstractForm(language().parseFormTokens(r.tokens), true);
    return tuple(A.ok, formAnnos(form, r));
  } catch (e) {
    if (e instanceof ErlSyntaxError) return syntaxError(e, r);
    throw e;
  }
});

/** Attributes whose value holds abstract syntax (annotated); any other attribute's value is a plain term. */
const SYNTAX_ATTRIBUTES = new Set(['record', 'spec', 'callback', 'type', 'opaque']);

function formAnnos(form: Term, r: Read): Term {
  if (form instanceof Tuple && form.elements[0] === atom('attribute') && form.elements.length === 4) {
    const [tag, an, name, value] = form.elements;
    if (!(name instanceof Atom) || !SYNTAX_ATTRIBUTES.has(name.name)) return tuple(tag, (tokenAnnos(tuple(tag, an), r) as Tuple).elements[1], name, value);
  }
  return tokenAnnos(form, r);
}

/** erl_parse:format_error/1: a message is its own text; anything else is written as a term (io_lib:write's deep list). */
defineBif(M, 'format_error', 1, (msg: Term) => (isDeepCharList(msg) ? msg : deepToTerm(writeDeep(msg))));

function isDeepCharList(t: Term): boolean {
  const stack: Term[] = [t];
  while (stack.length > 0) {
    let l = stack.pop()!;
    for (; l instanceof List; l = l.tail) {
      const h = l.head;
      if (h instanceof List || h === NIL) stack.push(h);
      else if (!(typeof h === 'number' && Number.isInteger(h) && h >= 0)) return false;
    }
    if (l !== NIL) return false;
  }
  return true;
}

// ---------- terms and literal expressions ----------

/** abstract/2's annotation: Line, {Line, Col}, or [{line, L} | {location, Loc} | {encoding, E}]. */
function annoOption(t: Term): { line: number; col?: number } | undefined {
  if (typeof t === 'number') return { line: t };
  if (t instanceof Tuple && t.elements.length === 2 && typeof t.elements[0] === 'number' && typeof t.elements[1] === 'number') {
    return { line: t.elements[0], col: t.elements[1] };
  }
  let at: { line: number; col?: number } = { line: 0 };
  let l: Term = t;
  for (; l instanceof List; l = l.tail) {
    const o = l.head;
    if (!(o instanceof Tuple) || o.elements.length !== 2) return undefined;
    if (o.elements[0] === A.line || o.elements[0] === A.location) {
      const inner = annoOption(o.elements[1]);
      if (inner === undefined || inner.line === undefined) return undefined;
      at = inner;
    } else if (o.elements[0] !== A.encoding) return undefined;
  }
  return l === NIL ? at : undefined;
}

function abstract(t: Term, opts: Term, args: Term[]): Term {
  const at = annoOption(opts);
  if (at === undefined) throw fnClause('abstract', args, 1470);
  try {
    return language().abstractTerm(t, at.line, at.col);
  } catch {
    // a pid, port, reference or local fun has no literal form
    throw fnClause('abstract', [t, at.col === undefined ? at.line : tuple(at.line, at.col)], 1491);
  }
}

defineBif(M, 'abstract', 1, (t: Term) => abstract(t, 0, [t]));
defineBif(M, 'abstract', 2, (t: Term, opts: Term) => abstract(t, opts, [t, opts]));

defineBif(M, 'normalise', 1, (abs: Term) => {
  const t = language().normalise(abs);
  if (t === undefined) throw errorAt(tuple(atom('badarg'), abs), yrlFrame('normalise', 1, 1435));
  return t;
});

// ---------- tokens/1,2: a literal expression written back as tokens ----------

function annoOf(e: Term): Term {
  return (e as Tuple).elements[1];
}

/** The tokens of a literal expression, before `more`; built from the end so each step prepends. */
function exprTokens(e: Term, more: Term[]): Term[] {
  if (!(e instanceof Tuple) || e.elements.length < 2 || !(e.elements[0] instanceof Atom) || annoParts(e.elements[1]) === undefined) {
    throw fnClause('tokens', [e, list(more)], 1563);
  }
  const [tag, an] = e.elements;
  const sym = (s: string): Term => tuple(atom(s), an);
  switch ((tag as Atom).name) {
    case 'char':
    case 'integer':
    case 'float':
    case 'atom':
    case 'var':
    case 'string':
      if (e.elements.length === 3) return [e, ...more];
      break;
    case 'nil':
      return [sym('['), sym(']'), ...more];
    case 'cons':
      if (e.elements.length === 4) return [sym('['), ...exprTokens(e.elements[2], tailTokens(e.elements[3], more))];
      break;
    case 'tuple': {
      const es = listItems(e.elements[2]);
      if (es === undefined) break;
      if (es.length === 0) return [sym('{'), sym('}'), ...more];
      return [sym('{'), ...sequence(es, '}', more)];
    }
    case 'map': {
      const ps = e.elements.length === 3 ? listItems(e.elements[2]) : undefined;
      if (ps === undefined) break;
      if (ps.length === 0) return [sym('#'), sym('{'), sym('}'), ...more];
      return [sym('#'), sym('{'), ...sequence(ps, '}', more)];
    }
    case 'map_field_assoc':
      if (e.elements.length === 4) return exprTokens(e.elements[2], [sym('=>'), ...exprTokens(e.elements[3], more)]);
      break;
  }
  throw fnClause('tokens', [e, list(more)], 1563);
}

/** E1, E2, ... Close: each comma annotated as the element before it. */
function sequence(es: Term[], close: string, more: Term[]): Term[] {
  let out: Term[] = [tuple(atom(close), annoOf(es[es.length - 1])), ...more];
  for (let k = es.length - 1; k >= 0; k--) {
    out = exprTokens(es[k], out);
    if (k > 0) out = [tuple(atom(','), annoOf(es[k - 1])), ...out];
  }
  return out;
}

function tailTokens(t: Term, more: Term[]): Term[] {
  if (t instanceof Tuple && t.elements[0] === atom('cons') && t.elements.length === 4) {
    return [tuple(atom(','), t.elements[1]), ...exprTokens(t.elements[2], tailTokens(t.elements[3], more))];
  }
  if (t instanceof Tuple && t.elements[0] === atom('nil') && t.elements.length === 2) return [tuple(atom(']'), t.elements[1]), ...more];
  const an = annoOf(t);
  return [tuple(atom('|'), an), ...exprTokens(t, [tuple(atom(']'), an), ...more])];
}

function listItems(t: Term): Term[] | undefined {
  const out: Term[] = [];
  let l = t;
  for (; l instanceof List; l = l.tail) out.push(l.head);
  return l === NIL ? out : undefined;
}

defineBif(M, 'tokens', 1, (e: Term) => list(exprTokens(e, [])));
defineBif(M, 'tokens', 2, (e: Term, more: Term) => {
  const rest = listItems(more);
  if (rest === undefined) throw badarg(M, 'tokens', [e, more]);
  return list(exprTokens(e, rest));
});
