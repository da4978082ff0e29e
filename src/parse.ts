// The parser's public face: shell input, module files (through the preprocessor), and terms.
// The grammar lives in src/parse/ (expr, types, form); errors are ErlSyntaxError in erl's words.

import type { Expr, Form } from './ast.js';
import { preprocess, type EppOptions } from './epp.js';
import { ErlSyntaxError, scan, type Token } from './scan.js';
import { firstPos } from './parse/anno.js';
import { ExprParser, type ShellLiteral } from './parse/expr.js';
import { FormParser } from './parse/form.js';
import { NotLiteral, normalise } from './parse/literal.js';
import type { Term } from '../runtime/vm/term.js';

export { ErlSyntaxError, isCompleteInput } from './scan.js';
export type { EppOptions } from './epp.js';

export interface ParseDiagnostic {
  line: number;
  col: number;
  message: string;
  /** the file the position refers to: the module file, or an included file (as epp names it) */
  file?: string;
}

/** The expressions of one shell input: exprs separated by ',' and ended by '.'. */
export function parseExprs(source: string): Expr[] {
  return parseExprTokens(scan(source));
}

/**
 * Parse already scanned tokens as the shell does (erl_eval:extended_parse_exprs: erl_parse:parse_exprs
 * plus printed pids, ports, refs and funs), or as erl_parse:parse_exprs alone when not `extended`.
 */
export function parseExprTokens(tokens: Token[], extended = true): Expr[] {
  const p = new ShellParser(tokens, extended);
  return p.guarded(() => p.shellExprs());
}

/** A pasted block "a. b. c.": each dot-terminated expression list. */
export function parseExprsSeq(source: string): Expr[][] {
  return splitAtDots(scan(source)).map((ts) => parseExprTokens(ts));
}

/** One term written as text, ended by '.' (erl_parse:parse_term). */
export function parseTerm(source: string): Term {
  return parseTermTokens(scan(source));
}

/** All dot-terminated terms of a text, as file:consult reads them. */
export function parseTerms(source: string): Term[] {
  return splitAtDots(scan(source)).map((ts) => parseTermTokens(ts));
}

/** A term from its tokens; erl_parse:parse_term's when not `extended` (no printed pids and funs). */
export function parseTermTokens(tokens: Token[], extended = true): Term {
  const es = parseExprTokens(tokens, extended);
  const badTerm = (e: Expr): never => {
    const p = firstPos(e);
    throw new ErlSyntaxError(p.line, p.col, 'bad term');
  };
  if (es.length > 1) badTerm(es[1]);
  try {
    return normalise(es[0]);
  } catch (e) {
    if (e instanceof NotLiteral) badTerm(es[0]);
    throw e;
  }
}

function splitAtDots(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let start = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k].kind === 'dot') {
      out.push(tokens.slice(start, k + 1));
      start = k + 1;
    }
  }
  if (start < tokens.length) out.push(tokens.slice(start));
  return out;
}

/**
 * A module file: preprocessed (macros, includes, conditionals) and parsed form by form. Like epp, the
 * forms start with -file attributes ({attribute,1,file,{File,1}}), and includes are bracketed by them.
 */
export function parseForms(
  source: string,
  file: string,
  opts?: EppOptions,
): { forms: Form[]; errors: ParseDiagnostic[]; warnings: ParseDiagnostic[] } {
  const forms: Form[] = [];
  const errors: ParseDiagnostic[] = [];
  const warnings: ParseDiagnostic[] = [];
  for (const item of preprocess(source, file, opts)) {
    if (item.kind === 'form') {
      try {
        const p = new FormParser(item.tokens);
        forms.push(p.guarded(() => p.form()));
      } catch (e) {
        if (!(e instanceof ErlSyntaxError)) throw e;
        errors.push({ line: e.line, col: e.col, message: e.reason, file: item.file });
      }
    } else {
      const d = { line: item.line, col: item.col, message: item.message, file: item.file };
      (item.kind === 'error' ? errors : warnings).push(d);
    }
  }
  return { forms, errors, warnings };
}

/** Parse one form from its tokens (through its dot), without preprocessing. */
export function parseFormTokens(tokens: Token[]): Form {
  const p = new FormParser(tokens);
  return p.guarded(() => p.form());
}

/**
 * Printed pids, ports, references and external funs typed at the shell (<0.80.0>, #Port<0.3>,
 * #Ref<0.1.2.3>, #Fun<lists.map.2>) become one string token each, read back as
 * erlang:list_to_pid("<0.80.0>") etc., as erl_eval:extended_parse_exprs does. Malformed ones stay
 * as they are (and are syntax errors).
 */
function shellLiterals(tokens: Token[]): { tokens: Token[]; literals: Map<Token, ShellLiteral> } {
  const literals = new Map<Token, ShellLiteral>();
  const out: Token[] = [];
  const shape = (k: number, kinds: string[]): boolean => kinds.every((kind, j) => tokens[k + j]?.kind === kind);
  const isVar = (t: Token | undefined, name: string): boolean => t?.kind === 'var' && t.value === name;
  for (let k = 0; k < tokens.length; k++) {
    let n = 0;
    let lit: ShellLiteral | undefined;
    const text = (len: number): string => tokens.slice(k, k + len).map((t) => t.text).join('');
    if (shape(k, ['<', 'float', '.', 'integer', '>'])) {
      n = 5;
      if (/^<\d+\.\d+\.\d+>$/.test(text(n))) lit = { kind: 'pid', text: text(n) };
    } else if (tokens[k].kind === '#' && isVar(tokens[k + 1], 'Port') && shape(k + 2, ['<', 'float', '>'])) {
      n = 5;
      if (/^#Port<\d+\.\d+>$/.test(text(n))) lit = { kind: 'port', text: text(n) };
    } else if (tokens[k].kind === '#' && isVar(tokens[k + 1], 'Ref') && shape(k + 2, ['<', 'float', '.', 'float', '>'])) {
      n = 7;
      if (/^#Ref<\d+\.\d+\.\d+\.\d+>$/.test(text(n))) lit = { kind: 'reference', text: text(n) };
    } else if (tokens[k].kind === '#' && isVar(tokens[k + 1], 'Fun') && shape(k + 2, ['<', 'atom', '.', 'atom', '.', 'integer', '>'])) {
      n = 9;
      const arity = tokens[k + 7].value;
      if (typeof arity === 'number' && arity <= 255) {
        lit = { kind: 'function', module: tokens[k + 3].value as string, name: tokens[k + 5].value as string, arity };
      }
    }
    if (lit === undefined) {
      out.push(tokens[k]);
      continue;
    }
    const t0 = tokens[k];
    const tok: Token = { kind: 'string', value: text(n), text: text(n), line: t0.line, col: t0.col };
    literals.set(tok, lit);
    out.push(tok);
    k += n - 1;
  }
  return { tokens: out, literals };
}

/** parse_exprs parses "f() -> Tokens" as a function, so a ';' after the expressions starts another clause. */
class ShellParser extends ExprParser {
  constructor(tokens: Token[], extended: boolean) {
    const fixed = extended ? shellLiterals(tokens) : { tokens, literals: new Map<Token, ShellLiteral>() };
    super(fixed.tokens);
    this.shellLiterals = fixed.literals;
  }

  shellExprs(): Expr[] {
    const es = this.exprs();
    if (this.cur() === ';') {
      const semi = this.peek();
      this.next();
      // "f() -> Exprs; g(...) -> ..." : erl reads further clauses and fails on them
      for (;;) {
        const name = this.expect('atom');
        const args = this.patArgs();
        this.clauseGuard();
        this.clauseBody();
        if (name.value !== 'f' || args.length !== 0) this.failAt({ line: name.line, col: name.col }, 'head mismatch');
        if (this.cur() !== ';') break;
        this.next();
      }
      this.expect('dot');
      this.fail(semi);
    }
    this.expect('dot');
    if (!this.atEnd) this.fail();
    return es;
  }
}
