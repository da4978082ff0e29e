// Hands the language (scanner, parser, compiler, erl_eval's term forms) to the library, which sits
// below it (runtime/lib/language.ts): boot and the tests' harnesses call installLanguage.

import { setLanguage } from '../runtime/lib/language.js';
import { parseExprs, parseTerm, parseTerms, isCompleteInput } from './parse.js';
import { scanRecovering } from './scan.js';
import { exprToTerm } from './abstract.js';
import { bindingsFromTerm, bindingsToTerm } from './erl_eval.js';
import { compileShell } from './compile/shell.js';
import { shellFun2ms } from './ms_transform.js';
import { compileAndLoad, findSource, loadModule } from './loader.js';
import { loadForms, moduleForms } from './forms_io.js';
import { exprsText, recordText } from './erl_pp.js';
import { fileRecords, wildcard } from './shell_records.js';
import { shellStack } from './compile/support.js';
import { escapedAt } from '../runtime/lib/stdlib/erl_eval_frames.js';

export function installLanguage(): void {
  setLanguage({
    parseTerm,
    parseTerms,
    parseExprs,
    isCompleteInput,
    firstDot(text) {
      const dot = scanRecovering(text).tokens.find((t) => t.kind === 'dot');
      return dot === undefined ? undefined : { line: dot.line, col: dot.col };
    },
    exprToTerm,
    bindingsToTerm,
    bindingsFromTerm,
    compileShell,
    compileAndLoad,
    findSource,
    loadModule,
    shellFun2ms,
    moduleForms,
    loadForms,
    exprsText,
    recordText: (def, enc) => recordText(def.name, def.fields, enc),
    fileRecords,
    wildcard,
    shellExitStack: (e) => shellStack(e, 'top', 'shell', escapedAt(e)),
  });
}
