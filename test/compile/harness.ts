// Helpers for the compiler tests: compile Erlang source (modules and shell expressions) with
// src/compile, run it in real processes on this node, and write results as the fixture
// generator (test/fixtures/compile/gen.escript) wrote real erl's: "ok ~w" or "exc Class ~w".

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseExprs, parseForms } from '../../src/parse.js';
import { compileShell } from '../../src/compile/shell.js';
import { compileModule, type CompiledModule } from '../../src/compile/module.js';
import { formatDiagnostic, type Diagnostic } from '../../src/compile/diagnostic.js';
import { codeServer } from '../../runtime/vm/code_server.js';
import { node } from '../../runtime/vm/node.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { Term, Tuple, atom } from '../../runtime/vm/term.js';
import { monitor } from '../../runtime/vm/signals.js';
import { receive } from '../../runtime/vm/receive.js';
import { S } from '../../runtime/vm/scheduler.js';
import { TailCall } from '../../runtime/vm/abi.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import '../helpers/library.js';
import '../../runtime/vm/ops.js';
import { installLoader } from '../../src/loader.js';

// the library's modules written in Erlang (proplists, dict, ...) load on first call, as on a node
installLoader();

const here = dirname(fileURLToPath(import.meta.url));
export const fixtures = join(here, '..', 'fixtures', 'compile');

/** A process that ended before its test code returned (killed, say). */
export class Died extends Error {
  constructor(readonly reason: Term) {
    super('died ' + writeTerm(reason));
  }
}

/** Run code in a new process; resolve with its result or reject with what escapes it (or Died). */
export function inProcess<T>(body: () => Generator<unknown, T, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // a watcher starts the code and monitors it at once, to see deaths the code cannot report
    // itself (exit(self(), kill))
    node.spawn(function* () {
      const p = node.spawn(function* () {
        try {
          const r = yield* body();
          settled = true;
          resolve(r);
          return r as Term;
        } catch (e) {
          // report it to the test, and end normally (no crash report on the console)
          settled = true;
          reject(e);
          return atom('normal');
        }
      }, []);
      const ref = monitor(S.current, p.pid);
      const down = yield* receive((m) => (m instanceof Tuple && m.elements[0] === atom('DOWN') && m.elements[1] === ref ? m : undefined));
      if (!settled) reject(new Died((down as Tuple).elements[4]));
      return atom('normal');
    }, []);
  });
}

export class CompileFailed extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  }
}

/** Compile a module's source and load it into the code server. */
export function loadSource(src: string, file = 'test.erl'): CompiledModule {
  const parsed = parseForms(src, file);
  if (parsed.errors.length > 0) throw new Error('syntax: ' + JSON.stringify(parsed.errors));
  const r = compileModule(parsed.forms, file, { source: src });
  if (!r.ok) throw new CompileFailed(r.errors);
  codeServer.load(r.module);
  return r.module;
}

/** Compile and load test/fixtures/compile/<file>. */
export function loadFixture(file: string): CompiledModule {
  return loadSource(readFileSync(join(fixtures, file), 'utf8'), file);
}

/** Diagnostics of a module as erlc prints them (without the source excerpt). */
export function lintText(src: string, file = 'test.erl'): string[] {
  const parsed = parseForms(src, file);
  if (parsed.errors.length > 0) throw new Error('syntax: ' + JSON.stringify(parsed.errors));
  const r = compileModule(parsed.forms, file, { source: src });
  const ds = r.ok ? r.warnings : [...r.errors, ...r.warnings];
  return ds.flatMap((d) => formatDiagnostic(file, d).trimEnd().split("\n"));
}

/** Evaluate shell expressions (text ending in '.') in a new process. */
export function evalShell(text: string, bindings = new Map<string, Term>()): Promise<{ value: Term; bindings: Map<string, Term> }> {
  const c = compileShell(parseExprs(text), new Set(bindings.keys()));
  if (!c.ok) return Promise.reject(new CompileFailed(c.errors));
  return inProcess(() => c.run(bindings));
}

/** What real erl's fixture generator prints for an outcome. */
export function outcomeOf(p: Promise<Term>): Promise<string> {
  return p.then(
    (v) => normalise('ok ' + writeTerm(v)),
    (e) => {
      if (e instanceof ErlangException) return normalise(`exc ${e.cls.name} ${writeTerm(e.reason)}`);
      if (e instanceof CompileFailed) return 'compile ' + e.message;
      if (e instanceof Died) return normalise(e.message);
      throw e;
    },
  );
}

function normalise(s: string): string {
  return s
    .replace(/<\d+\.\d+\.\d+>/g, '<PID>')
    .replace(/#Ref<[0-9.]+>/g, '#Ref')
    .replace(/#Fun<[^>]*>/g, '#Fun');
}

/** A case evaluated as the shell would (erl_eval in real erl). */
export function shellOutcome(expr: string): Promise<string> {
  return outcomeOf(evalShell(expr + '.').then((r) => r.value));
}

let modCounter = 0;

/** The same case as the body of a compiled module function. */
export function moduleOutcome(expr: string): Promise<string> {
  const name = `compile_case_${++modCounter}`;
  let mod: CompiledModule;
  try {
    mod = loadSource(`-module(${name}).\n-export([f/0]).\nf() ->\n    ${expr}.\n`, name + '.erl');
  } catch (e) {
    if (e instanceof CompileFailed) return Promise.resolve('compile ' + e.message);
    throw e;
  }
  const f = mod.exports.get('f/0')!;
  return outcomeOf(
    inProcess(function* () {
      let r: Term | TailCall = yield* f();
      while (r instanceof TailCall) r = yield* r.fn(...r.args);
      return r;
    }),
  );
}

export interface Case {
  expr: string;
  expected: string | undefined;
  /** the case only makes sense typed at the shell (marked `%shell`) */
  shellOnly: boolean;
}

/** The cases of <name>.cases with real erl's results from <name>.expected; loads the %module files. */
export function loadCases(name: string): Case[] {
  const lines = readFileSync(join(fixtures, name + '.cases'), 'utf8').split('\n');
  const expected = new Map<string, string>();
  try {
    for (const l of readFileSync(join(fixtures, name + '.expected'), 'utf8').split('\n')) {
      const tab = l.indexOf('\t');
      if (tab > 0) expected.set(l.slice(0, tab), l.slice(tab + 1));
    }
  } catch {
    // no expectations yet: the cases fail with a hint to run gen.escript
  }
  const cases: Case[] = [];
  for (const l of lines) {
    if (l === '') continue;
    if (l.startsWith('%module ')) {
      loadFixture(l.slice(8).trim());
      continue;
    }
    if (l.startsWith('%')) continue;
    cases.push({ expr: l, expected: expected.get(l), shellOnly: /%\s*shell\s*$/.test(l) });
  }
  return cases;
}

export const genHint = (name: string): string => `no expectation: run escript test/fixtures/compile/gen.escript test/fixtures/compile/${name}.cases`;

/**
 * The suite of a feature: every case of <name>.cases typed at the shell, and again as the body of
 * a compiled module's function (unless marked `% shell`), against what real erl gave.
 */
export function featureSuite(name: string): void {
  const cases = loadCases(name);
  describe(`${name}: shell expressions as erl_eval`, () => {
    it.each(cases)('$expr', async ({ expr, expected }) => {
      expect(expected, genHint(name)).toBeDefined();
      expect(await shellOutcome(expr.replace(/%\s*shell\s*$/, ''))).toBe(expected);
    });
  });
  const moduleCases = cases.filter((c) => !c.shellOnly);
  describe(`${name}: compiled module code`, () => {
    it.each(moduleCases)('$expr', async ({ expr, expected }) => {
      expect(expected, genHint(name)).toBeDefined();
      expect(await moduleOutcome(expr)).toBe(expected);
    });
  });
}
