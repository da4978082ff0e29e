// Hands the language (scanner, parser, compiler, erl_eval's term forms) to the library, which sits
// below it (runtime/lib/language.ts): boot and the tests' harnesses call installLanguage.

import { setLanguage } from '../runtime/lib/language.js';
import { parseExprs, parseTerm, parseTerms, isCompleteInput, parseExprTokens, parseTermTokens, parseFormTokens } from './parse.js';
import { scanRecovering } from './scan.js';
import { abstractTerm, exprToTerm, formToTerm, normalise, termToExpr, withColumns } from './abstract.js';
import { bindingsFromTerm, bindingsToTerm } from './erl_eval.js';
import { compileShell } from './compile/shell.js';
import { shellFun2ms } from './ms_transform.js';
import { compileAndLoad, compileSourceFile, findSource, loadModule } from './loader.js';
import { loadForms, moduleForms } from './forms_io.js';
import { exprText, exprsText, recordText } from './erl_pp.js';
import { formText } from './erl_pp_forms.js';
import { fileRecords, wildcard } from './shell_records.js';
import { shellStack } from './compile/support.js';
import { escapedAt } from '../runtime/lib/stdlib/erl_eval_frames.js';

export function installLanguage(): void {
  setLanguage({
    parseTerm,
    parseTerms,
    parseExprs,
    isCompleteInput,
    scanText: (text, opts) => scanRecovering(text, opts),
    parseExprTokens: (tokens) => parseExprTokens(tokens, false),
    parseTermTokens: (tokens) => parseTermTokens(tokens, false),
    parseFormTokens,
    abstractExpr: (e, columns) => (columns ? withColumns(() => exprToTerm(e)) : exprToTerm(e)),
    abstractForm: (f, columns) => (columns ? withColumns(() => formToTerm(f)) : formToTerm(f)),
    abstractTerm(t, line, col) {
      const abs = abstractTerm(t, { line, col: col ?? 0 });
      return col === undefined ? exprToTerm(abs) : withColumns(() => exprToTerm(abs));
    },
    normalise(abs) {
      try {
        return normalise(termToExpr(abs));
      } catch {
        return undefined;
      }
    },
    firstDot(text) {
      const dot = scanRecovering(text).tokens.find((t) => t.kind === 'dot');
      return dot === undefined ? undefined : { line: dot.line, col: dot.col };
    },
    exprToTerm,
    exprFromTerm: termToExpr,
    bindingsToTerm,
    bindingsFromTerm,
    compileShell,
    compileAndLoad,
    compileSource: compileSourceFile,
    findSource,
    loadModule,
    shellFun2ms,
    moduleForms,
    loadForms,
    exprsText,
    exprText,
    recordText: (def, enc) => recordText(def.name, def.fields, enc),
    formText(kind, t, enc, messageEnc, opts) {
      try {
        return formText(kind, t, enc, messageEnc, opts);
      } catch {
        // a term erl_pp has no clause for, or a part the syntax tree cannot read back
        return undefined;
      }
    },
    fileRecords,
    wildcard,
    shellExitStack: (e) => shellStack(e, 'top', 'shell', escapedAt(e)),
  });
}
