// Local call tracing (erlang:trace_pattern/3 with [local]) for a compiled module: each of its
// functions' bindings is pointed at a function that enters it through runtime/vm/call_trace.ts's
// CallTracing.local, so local calls are seen too, by every caller, processes already running in
// the module included (their code calls through the same bindings); turning it off points them
// back. Only a module with a local pattern pays for it.
//
// A module's functions come in two versions (src/compile/fast.ts): the generator, and for some a
// plain function that the generator tries first and that calls other plain functions directly.
// While instrumented the plain versions give up at once (they throw SLOWDOWN, as when out of
// reductions), so the generators run and make their calls through the bindings.

import type { Atom, Term } from '../../runtime/vm/term.js';
import { codeServer } from '../../runtime/vm/code_server.js';
import { callTracing } from '../../runtime/vm/call_trace.js';
import type { CompiledModule } from './module.js';
import { identPart } from './context.js';
import { H } from './helpers.js';

type Gen = (...args: Term[]) => Generator<unknown, Term, unknown>;

/** The bindings an instrumented module had: to put back. */
const saved = new Map<Atom, { module: CompiledModule; bindings: [string, unknown][] }>();

function instrument(m: Atom, on: boolean): unknown {
  if (!on) {
    const s = saved.get(m);
    saved.delete(m);
    if (s !== undefined) for (const [js, fn] of s.bindings) s.module.relink!(js, fn);
    return s?.module;
  }
  const code = codeServer.module(m) as CompiledModule | undefined;
  if (code?.relink === undefined || code.shape === undefined) return undefined;
  if (saved.get(m)?.module === code) return code;
  const bindings: [string, unknown][] = [];
  code.shape.functions.forEach(([name, arity], i) => {
    const js = `f${i}_${identPart(name)}_${arity}`;
    const orig = code.relink!(js, undefined) as Gen | undefined;
    if (typeof orig !== 'function') {
      if (orig !== undefined) code.relink!(js, orig);
      return;
    }
    const f = H.atom(name);
    code.relink!(js, function* (...args: Term[]) {
      return yield* callTracing.local(orig, m, f, args);
    });
    bindings.push([js, orig]);
    const plain = code.relink!(js + '$plain', undefined);
    if (typeof plain === 'function') {
      const givesUp = (): never => {
        throw H.SLOWDOWN;
      };
      givesUp.gen = (plain as { gen?: unknown }).gen;
      code.relink!(js + '$plain', givesUp);
      bindings.push([js + '$plain', plain]);
    }
  });
  saved.set(m, { module: code, bindings });
  return code;
}

export function installCallTraceInstrumenter(): void {
  callTracing.setInstrumenter(instrument);
}
