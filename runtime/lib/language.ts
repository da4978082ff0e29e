// The language (src/: the scanner, parser and compiler, erl_eval's term forms) as the library uses
// it: the shell process, file:consult/1, io:read/1,2, the shell's c/1, and the public erl_scan and
// erl_parse modules. The language sits above
// the runtime and imports it, so it is handed in at boot (src/language.ts installLanguage, called by
// src/node_worker.ts and the tests' harnesses). Its types are imported for type checking only.

import type { Fun, Term } from '../vm/term.js';
import type { Expr, Form } from '../../src/ast.js';
import type { ScanOptions, ScanResult, Token } from '../../src/scan.js';
import type { ShellOptions, ShellCompileResult } from '../../src/compile/shell.js';
import type { CompileResult, SourceCompileResult } from '../../src/loader.js';
import type { FormsResult } from '../../src/forms_io.js';
import type { ErlangException } from '../vm/exception.js';
import type { RecordDef } from '../../src/compile/shell.js';
import type { LayoutOptions } from '../../src/erl_pp.js';

/** A syntax error in erl's words (erl_scan's and erl_parse's): `Line:Col: Reason`. */
export class ErlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${line}:${col}: ${reason}`);
    this.name = 'ErlSyntaxError';
  }
}

export interface Language {
  /** erl_parse:parse_term of "Term." (throws ErlSyntaxError) */
  parseTerm(text: string): Term;
  /** file:consult's reading: the terms of "T1. T2. ..." (throws ErlSyntaxError) */
  parseTerms(text: string): Term[];
  /** erl_parse:parse_exprs of what the shell read (throws ErlSyntaxError) */
  parseExprs(text: string): Expr[];
  /** erl_scan: the tokens of a text, its errors (each with where scanning resumes), where it stopped */
  scanText(text: string, opts: ScanOptions): ScanResult;
  /** erl_parse:parse_exprs, parse_term and parse_form of tokens, without the shell's printed pids and funs (throw ErlSyntaxError) */
  parseExprTokens(tokens: Token[]): Expr[];
  parseTermTokens(tokens: Token[]): Term;
  parseFormTokens(tokens: Token[]): Form;
  /** an expression or a form in the abstract format, annotated {Line, Col} when `columns` (and the column is known) */
  abstractExpr(e: Expr, columns: boolean): Term;
  abstractForm(f: Form, columns: boolean): Term;
  /** erl_parse:abstract(Term) annotated with `line` (and `col`, if given) */
  abstractTerm(t: Term, line: number, col?: number): Term;
  /** erl_parse:normalise: the term an abstract literal stands for, or undefined when it is none */
  normalise(abs: Term): Term | undefined;
  /** does the text end with a terminating dot outside strings and comments? */
  isCompleteInput(text: string): boolean;
  /** where the first terminating dot is (1-based line and column), if there is one */
  firstDot(text: string): { line: number; col: number } | undefined;
  /** an expression in the abstract format (erl_parse's terms) */
  exprToTerm(e: Expr): Term;
  /** erl_eval's bindings as a term ([{Var, Value}]) and back */
  bindingsToTerm(b: Map<string, Term>): Term;
  bindingsFromTerm(t: Term): Map<string, Term> | undefined;
  /** the shell's expressions compiled to code that takes and answers bindings */
  compileShell(exprs: Expr[], bound: Set<string>, opts: ShellOptions): ShellCompileResult;
  /** c(Mod): compile Mod.erl (found as the loader finds it) and load it */
  compileAndLoad(name: string): CompileResult;
  /** compile:file: a source file (an absolute name) compiled, not loaded: its errors and warnings, and erlc's messages */
  compileSource(file: string): SourceCompileResult;
  /** the source file the loader would take for a module */
  findSource(module: string): string | undefined;
  /** l(Mod): load it again from its source */
  loadModule(module: string): boolean;
  /** the module in a source file as abstract forms (epp:parse_file's), for a real node's compile:forms */
  moduleForms(file: string): FormsResult;
  /** compile abstract forms (a .beam's debug info) and load the module */
  loadForms(forms: Term, file: string): CompileResult;
  /** ets:fun2ms/1 (or dbg's) on a fun: its match spec, the transform's error text, or undefined for a fun not made by shell code */
  shellFun2ms(f: Fun, dialect?: 'ets' | 'dbg'): { ms: Term } | { error: string } | undefined;
  /** an expression in the abstract format read back (throws Error when it is none) */
  exprFromTerm(t: Term): Expr;
  /** erl_pp:exprs(Exprs, Indent, [{encoding, Enc}, {linewidth, W}, {indent, I}]): how h() shows a command */
  exprsText(exprs: Expr[], indent: number, encoding: 'unicode' | 'latin1', opts?: LayoutOptions): string;
  /** erl_pp:expr(Expr, Indent, Precedence, Options) */
  exprText(e: Expr, indent: number, prec: number, encoding: 'unicode' | 'latin1', opts?: LayoutOptions): string;
  /** erl_pp:form/attribute/function/guard of an abstract form (or a guard): strings and atoms written in
   *  `encoding`, {error, _} and {warning, _} forms in `messageEncoding`; undefined when erl_pp has no clause for it */
  formText(
    kind: 'form' | 'attribute' | 'function' | 'guard',
    t: Term,
    encoding: 'unicode' | 'latin1',
    messageEncoding: 'unicode' | 'latin1',
    opts?: LayoutOptions,
  ): string | undefined;
  /** erl_pp's -record(...). line(s) for rl() */
  recordText(def: RecordDef, encoding: 'unicode' | 'latin1'): string;
  /** the records a source file defines (its includes too), or 'enoent' (rr/1,2,3) */
  fileRecords(file: string, cwd: string, includePath: string[], macros: Record<string, string | undefined>): RecordDef[] | 'enoent';
  /** filelib:wildcard/1 relative to cwd */
  wildcard(pattern: string, cwd: string): string[];
  /** the stack an exception out of a shell expression has in erl (with erl_eval's and shell's frames) */
  shellExitStack(e: ErlangException): Term;
}

let installed: Language | undefined;

export function setLanguage(l: Language): void {
  installed = l;
}

/** The language installed at boot. */
export function language(): Language {
  if (installed === undefined) throw new Error('terl: no language installed (src/language.ts installLanguage)');
  return installed;
}
