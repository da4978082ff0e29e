// The compiler's interface (OTP's compile module): compile:file/1,2 with erlc's messages and
// answers. terl's compiler is the language itself (src/), reached through the language hook.
// terl's object code is the source, so nothing is written beside it: a later call to the module
// finds the .erl as erl finds the .beam, and the `binary` option answers the source text, which
// code:load_binary/3 loads (runtime/lib/kernel/code_binary.ts).
//
// With `return`, each error or warning is {{Line, Col}, compile, Text}: terl keeps no erl_lint
// descriptors, so compile:format_error/1 gives back the text erlc prints.

import { readFileSync } from 'node:fs';
import { Atom, Bin, Term, atom, charlist, list, listToString, tuple, NIL } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { resolvePath } from '../../vm/cwd.js';
import { language } from '../language.js';
import { putText } from '../stdlib/io_protocol.js';
import { fnClause, items } from '../common.js';
import type { Diagnostic } from '../../../src/compile/diagnostic.js';

const M = 'compile';
const A = { ok: atom('ok'), error: atom('error'), none: atom('none'), compile: atom(M), epp: atom('epp'), enoent: atom('enoent') };

type Flags = { reportErrors: boolean; reportWarnings: boolean; returnErrors: boolean; returnWarnings: boolean; binary: boolean; warningsAsErrors: boolean };

function flags(opts: Term[]): Flags {
  const has = (name: string) => opts.some((o) => o instanceof Atom && o.name === name);
  return {
    reportErrors: has('report') || has('report_errors'),
    reportWarnings: has('report') || has('report_warnings'),
    returnErrors: has('return') || has('return_errors'),
    returnWarnings: has('return') || has('return_warnings'),
    binary: has('binary'),
    warningsAsErrors: has('warnings_as_errors'),
  };
}

/** [{File, [{{Line, Col}, compile, Text}]}], or [] when there are none */
function diagnosticList(shown: string, ds: Diagnostic[]): Term {
  if (ds.length === 0) return NIL;
  const entries = ds.map((d) => tuple(tuple(d.line, d.col), A.compile, charlist(d.message)));
  return list([tuple(charlist(shown), list(entries))]);
}

/** What the report options print of erlc's messages: errors, warnings, or both (each a block that starts with the file's name). */
function reported(messages: string, shown: string, f: Flags): string {
  if (f.reportErrors && f.reportWarnings) return messages;
  if (!f.reportErrors && !f.reportWarnings) return '';
  const blocks: string[] = [];
  for (const line of messages.split(/(?<=\n)/)) {
    if (line.startsWith(shown + ':') || blocks.length === 0) blocks.push(line);
    else blocks[blocks.length - 1] += line;
  }
  return blocks.filter((b) => b.slice(shown.length).startsWith(':') && / Warning: /.test(b.split('\n')[0]!) === f.reportWarnings).join('');
}

function* file(name: Term, options: Term): Generator<unknown, Term, unknown> {
  const given = name instanceof Atom ? name.name : listToString(name);
  const opts = items(options) ?? [options];
  // erl's compiler fails inside on a name that is not one, and answers error
  if (given === undefined) return A.error;
  const f = flags(opts);
  const withExt = given.endsWith('.erl') ? given : given + '.erl';
  const r = language().compileSource(resolvePath(withExt));
  const shown = withExt;
  if (r.missing) {
    if (f.reportErrors) yield* putText(`${shown}: no such file or directory\n`);
    const enoent = list([tuple(charlist(shown), list([tuple(A.none, A.compile, tuple(A.epp, A.enoent))]))]);
    return f.returnErrors ? tuple(A.error, enoent, NIL) : A.error;
  }
  // erlc's messages name the file as given, as erl's compile does
  const messages = r.shown === shown ? r.messages : r.messages.split(r.shown + ':').join(shown + ':');
  yield* putText(reported(messages, shown, f));
  if (!r.ok || (f.warningsAsErrors && r.warnings.length > 0)) {
    return f.returnErrors ? tuple(A.error, diagnosticList(shown, r.errors), diagnosticList(shown, r.warnings)) : A.error;
  }
  const answer: Term[] = [A.ok, atom(r.module)];
  if (f.binary) answer.push(new Bin(new Uint8Array(readFileSync(resolvePath(withExt)))));
  if (f.returnWarnings) answer.push(diagnosticList(shown, r.warnings));
  return tuple(...answer);
}

// compile:file/1 reports what it finds, as erlc does
defineGenBif(M, 'file', 1, function* (name: Term) {
  return yield* file(name, list([atom('verbose'), atom('report_errors'), atom('report_warnings')]));
});

defineGenBif(M, 'file', 2, function* (name: Term, options: Term) {
  return yield* file(name, options);
});

// the descriptor of an entry of `return`'s lists is erlc's text itself
defineBif(M, 'format_error', 1, (d: Term) => {
  if (listToString(d) === undefined) throw fnClause(M, 'format_error', [d], 295);
  return d;
});
