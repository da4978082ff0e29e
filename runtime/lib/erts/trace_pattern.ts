// erlang:trace_pattern/2,3: which functions' calls are traced (for processes with the `call` trace
// flag), with what match specification; erlang:trace_info/2 tells what is set, for a function or a
// process. The tracing itself is the VM's (runtime/vm/call_trace.ts).
//
//   MFA         {M, F, A}, where A, then F, then M may be '_' (every arity, function, module)
//   MatchSpec   true or [] (every call), false (off), or a match specification ('trace' dialect:
//               return_trace, exception_trace, message, caller)
//   Flags       [] or [global]: exported functions; [local]: every function
//
// The answer is how many functions matched: only loaded modules count, as in BEAM.

import { Atom, List, NIL, Pid, Term, Tuple, atom, charlist, list, listToArray, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { bifsOf, isBuiltinModule } from '../../vm/bif_registry.js';
import { callTracing, type CallPattern } from '../../vm/call_trace.js';
import { CompiledMatchSpec, NO_MATCH, compileMatchSpec, varNumber, type TraceEffects } from '../../vm/match_spec.js';
import { bif, fail } from './bif.js';

const ANY = atom('_');
const TRUE = atom('true');
const FALSE = atom('false');

/** Every function of a loaded module, [Name, Arity]: the exported ones, or all of them for local. */
function functionsOf(m: Atom, local: boolean): [Atom, number][] {
  const code = codeServer.module(m);
  if (code !== undefined) {
    const all = local ? (code as { functions?: ReadonlyMap<string, unknown> }).functions : undefined;
    const keys = [...(all ?? code.exports).keys()];
    return keys.map((k) => {
      const slash = k.lastIndexOf('/');
      return [atom(k.slice(0, slash)), Number(k.slice(slash + 1))];
    });
  }
  if (isBuiltinModule(m.name)) return bifsOf(m.name).map((b) => [atom(b.name), b.arity]);
  return [];
}

/** The functions {M, F, A} names, among the loaded ones; undefined when it is no such pattern. */
function matching(mfa: Term, local: boolean): [Atom, Atom, number][] | undefined {
  if (!(mfa instanceof Tuple) || mfa.elements.length !== 3) return undefined;
  const [m, f, a] = mfa.elements;
  if (!(m instanceof Atom) || !(f instanceof Atom) || !(a instanceof Atom || (typeof a === 'number' && a >= 0 && a <= 255))) return undefined;
  if (a instanceof Atom && a !== ANY) return undefined;
  // wildcards only from the right: {'_', f, 1} is no pattern
  if ((m === ANY && (f !== ANY || a !== ANY)) || (f === ANY && a !== ANY)) return undefined;
  const modules = m === ANY ? codeServer.loaded() : codeServer.isLoaded(m) ? [m] : [];
  const out: [Atom, Atom, number][] = [];
  for (const mod of modules) {
    for (const [name, arity] of functionsOf(mod, local)) {
      if ((f === ANY || f === name) && (a === ANY || a === arity)) out.push([mod, name, arity]);
    }
  }
  return out;
}

/** A pattern from trace_pattern's second argument; null for false; undefined when it is none. */
function patternOf(ms: Term, local: boolean): CallPattern | null | undefined {
  if (ms === FALSE) return null;
  if (ms === TRUE || ms === NIL) return { source: NIL, takes: undefined, local };
  const c = compileMatchSpec(ms, 'trace');
  if (!(c instanceof CompiledMatchSpec) || !headsAreLists(ms)) return undefined;
  return { source: ms, takes: (args, fx) => c.run(args, fx) !== NO_MATCH, local };
}

function tracePattern(args: Term[], mfa: Term, ms: Term, flagList: Term): Term {
  const flags = listToArray(flagList);
  if (flags === undefined) throw fail('trace_pattern', args);
  let local = false;
  for (const fl of flags) {
    if (fl === atom('local')) local = true;
    else if (fl !== atom('global')) throw fail('trace_pattern', args, { 3: 'invalid flag' });
  }
  // send and 'receive' patterns (OTP 22's filters on those events): terl traces every such event, so
  // only `true` (and false, [], which dbg:stop/0 asks for) is taken
  if (mfa === atom('send') || mfa === atom('receive')) {
    if (ms === TRUE || ms === FALSE || ms === NIL) return 1;
    throw fail('trace_pattern', args, { 2: 'invalid match specification' });
  }
  const p = patternOf(ms, local);
  if (p === undefined) throw fail('trace_pattern', args, { 2: 'invalid match specification' });
  const fns = matching(mfa, local);
  if (fns === undefined) throw fail('trace_pattern', args, { 1: 'invalid MFA specification' });
  for (const [m, f, a] of fns) {
    // clearing global patterns leaves local ones, and the other way round
    if (p === null) {
      if (callTracing.pattern(m, f, a)?.local === local) callTracing.set(m, f, a, undefined);
    } else callTracing.set(m, f, a, p);
  }
  // a compiled module with a local pattern runs code that traces its local calls too
  for (const m of new Set(fns.map(([mod]) => mod))) {
    if (codeServer.module(m) !== undefined) callTracing.instrument(m, callTracing.patternsOf(m).some(([, , q]) => q.local));
  }
  return fns.length;
}

bif('trace_pattern', 2, (mfa: Term, ms: Term) => tracePattern([mfa, ms], mfa, ms, NIL));
bif('trace_pattern', 3, (mfa: Term, ms: Term, flags: Term) => tracePattern([mfa, ms, flags], mfa, ms, flags));

// ---------- trace_info/2 ----------

const PROCESS_FLAGS: [keyof TraceBits, string][] = [
  ['send', 'send'],
  ['receive', 'receive'],
  ['procs', 'procs'],
  ['call', 'call'],
  ['setOnSpawn', 'set_on_spawn'],
];
interface TraceBits {
  send: boolean;
  receive: boolean;
  procs: boolean;
  call: boolean;
  setOnSpawn: boolean;
}

function functionInfo(mfa: Tuple, item: Atom): Term {
  const [m, f, a] = mfa.elements;
  const p = m instanceof Atom && f instanceof Atom && typeof a === 'number' ? callTracing.pattern(m, f, a) : undefined;
  switch (item.name) {
    case 'traced':
      return tuple(item, p === undefined ? FALSE : atom(p.local ? 'local' : 'global'));
    case 'match_spec':
      return tuple(item, p === undefined ? FALSE : p.source);
    case 'all': {
      // meta patterns, call_time and call_count: terl has none
      const none = ['meta', 'meta_match_spec', 'call_time', 'call_count'].map((k) => tuple(atom(k), FALSE));
      return tuple(item, p === undefined ? FALSE : list([tuple(atom('traced'), atom(p.local ? 'local' : 'global')), tuple(atom('match_spec'), p.source), ...none]));
    }
    default:
      return tuple(item, FALSE);
  }
}

function processInfo(pid: Pid, item: Atom, args: Term[]): Term {
  const p = node.process(pid);
  if (p === undefined) throw fail('trace_info', args);
  const t = p.trace;
  switch (item.name) {
    case 'flags':
      return tuple(item, list(t === undefined ? [] : PROCESS_FLAGS.filter(([k]) => t[k]).map(([, n]) => atom(n))));
    case 'tracer':
      return tuple(item, t === undefined ? NIL : t.tracer);
    default:
      throw fail('trace_info', args);
  }
}

bif('trace_info', 2, (what: Term, item: Term) => {
  const args = [what, item];
  if (!(item instanceof Atom)) throw fail('trace_info', args);
  if (what instanceof Pid) return processInfo(what, item, args);
  if (what instanceof Tuple && what.elements.length === 3) return functionInfo(what, item);
  throw fail('trace_info', args);
});

// ---------- match_spec_test/3 for trace: what a call with these arguments would do ----------

/** A trace match spec's heads are argument lists: a list, '_' or a variable. */
function headsAreLists(ms: Term): boolean {
  return (listToArray(ms) ?? []).every((c) => {
    const h = c instanceof Tuple && c.elements.length === 3 ? c.elements[0] : undefined;
    return h === undefined || h === NIL || h instanceof List || h === ANY || (h instanceof Atom && varNumber(h) >= 0);
  });
}

bif('match_spec_test', 3, (target: Term, ms: Term, type: Term) => {
  const args = [target, ms, type];
  if (type !== atom('trace')) throw fail('match_spec_test', args);
  const errors = (texts: string[]): Term => tuple(atom('error'), list(texts.map((t) => tuple(atom('error'), charlist(t)))));
  // the heads are looked at first, as erts does
  if (!headsAreLists(ms)) return errors(['Match head is invalid in this context.']);
  const c = compileMatchSpec(ms, 'trace');
  if (!(c instanceof CompiledMatchSpec)) return errors(c);
  const fx: TraceEffects = { returnTrace: false, exceptionTrace: false, message: undefined, caller: atom('undefined') };
  const r = c.run(target, fx);
  const flags = [...(fx.returnTrace ? [atom('return_trace')] : []), ...(fx.exceptionTrace ? [atom('exception_trace')] : [])];
  // the result is what the trace message would carry: false (no match), true, or message/1's term
  return tuple(atom('ok'), r === NO_MATCH ? FALSE : (fx.message ?? TRUE), list(flags), NIL);
});
