// A module as erl_parse's abstract format crosses between terl and real nodes: terl's forms go to
// a real node's compile:forms/2 (nl/1 and nc/1 to erl), and the abstract code in a .beam's
// debug-info chunk is compiled here (code:load_binary/3 of a real node's module).

import { readFileSync } from 'node:fs';
import { codeServer } from '../runtime/vm/code_server.js';
import { Atom, Term, Tuple, atom, list, listToArray, tuple } from '../runtime/vm/term.js';
import type { Form } from './ast.js';
import { parseForms } from './parse.js';
import { formToTerm, termToForm } from './abstract.js';
import { compileModule } from './compile/module.js';
import type { CompileResult } from './loader.js';

export type FormsResult = { ok: true; module: string; forms: Term } | { ok: false; messages: string };

/** The module in `file` as epp:parse_file/2 gives it, {eof, Line} last. */
export function moduleForms(file: string): FormsResult {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, messages: `${file}: no such file or directory\n` };
  }
  const parsed = parseForms(source, file);
  if (parsed.errors.length > 0) return { ok: false, messages: `${file}: does not parse\n` };
  const mod = parsed.forms.find((f): f is Form & { type: 'module' } => f.type === 'module');
  if (mod === undefined) return { ok: false, messages: `${file}: no -module attribute\n` };
  const lines = source.split('\n').length;
  return { ok: true, module: mod.name, forms: list([...parsed.forms.map(formToTerm), tuple(atom('eof'), lines)]) };
}

const SKIPPED = new Set(['eof', 'error', 'warning']);

/** Compile abstract forms (a .beam's debug info) and load the module, as if from `file`. */
export function loadForms(forms: Term, file: string): CompileResult {
  const items = listToArray(forms) ?? [];
  const kept = items.filter((t) => !(t instanceof Tuple && t.elements[0] instanceof Atom && SKIPPED.has(t.elements[0].name)));
  let parsed: Form[];
  try {
    parsed = kept.map(termToForm);
  } catch (e) {
    return { ok: false, module: '', messages: `${file}: ${(e as Error).message}\n` };
  }
  const mod = parsed.find((f): f is Form & { type: 'module' } => f.type === 'module');
  const r = compileModule(parsed, file);
  if (!r.ok) return { ok: false, module: mod?.name ?? '', messages: `${file}: the abstract code does not compile\n` };
  codeServer.load({ ...r.module, file });
  return { ok: true, module: r.module.name.name, messages: '' };
}
