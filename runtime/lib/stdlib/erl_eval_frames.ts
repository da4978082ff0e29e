// The frames erl's traces show where shell code runs: erl_eval interprets it, and the shell's
// function handler (shell:apply_fun/3) makes its calls. terl compiles shell code instead, so these
// frames are added where erl would have them: by the shell (src/compile/support.ts), by the boot
// commands (src/boot.ts), and by library functions calling a shell fun (passedThrough, for lists and maps).
// Exceptions whose trace is final (erlang:raise/3) get nothing more.

import { ErlangException, ERROR_CLASS } from '../../vm/exception.js';
import { Atom, Fun, List, NIL, Term, Tuple, atom, charlist, list, tuple } from '../../vm/term.js';

/** Exceptions whose stack trace is complete as raised (erlang:raise/3): no frames are added. */
export const finalTraces = new WeakSet<ErlangException>();

/** {Module, Function, Arity, [{file, File}, {line, Line}]} */
export function erlFrame(module: string, fn: string, arity: number, file: string, line: number): Tuple {
  return tuple(atom(module), atom(fn), arity, list([tuple(atom('file'), charlist(file)), tuple(atom('line'), line)]));
}

let frames: { applyFun: Tuple; funApply: Tuple; evalFun: Tuple; raised: Record<string, Tuple> } | undefined;

function known(): { applyFun: Tuple; funApply: Tuple; evalFun: Tuple; raised: Record<string, Tuple> } {
  return (frames ??= {
    applyFun: erlFrame('shell', 'apply_fun', 3, 'shell.erl', 912),
    // erl_eval applying a call of a shell fun's body when no function handler is given
    funApply: erlFrame('erl_eval', 'do_apply', 7, 'erl_eval.erl', 742),
    evalFun: erlFrame('erl_eval', 'eval_fun', 8, 'erl_eval.erl', 898),
    raised: {
      badmatch: erlFrame('erl_eval', 'expr', 6, 'erl_eval.erl', 496),
      case_clause: erlFrame('erl_eval', 'case_clauses', 8, 'erl_eval.erl', 1041),
      if_clause: erlFrame('erl_eval', 'if_clauses', 7, 'erl_eval.erl', 980),
    },
  });
}

/** Where erl_eval runs code: in the shell process, or in init running the -eval commands. */
export type EvalPlace = 'shell' | 'init';

let placed: Record<EvalPlace, { doApply: Tuple; under: Tuple[] }> | undefined;

function places(): Record<EvalPlace, { doApply: Tuple; under: Tuple[] }> {
  const initFrame = (f: string, a: number): Tuple => tuple(atom('init'), atom(f), a, NIL);
  return (placed ??= {
    // the shell gives erl_eval a function handler, so calls are applied in another clause of do_apply
    shell: {
      doApply: erlFrame('erl_eval', 'do_apply', 7, 'erl_eval.erl', 748),
      under: [erlFrame('shell', 'exprs', 7, 'shell.erl', 691), erlFrame('shell', 'eval_exprs', 7, 'shell.erl', 647), erlFrame('shell', 'eval_loop', 3, 'shell.erl', 632)],
    },
    // init runs each command (start_it, from start_em, from do_boot)
    init: {
      doApply: erlFrame('erl_eval', 'do_apply', 7, 'erl_eval.erl', 744),
      under: [initFrame('start_it', 1), initFrame('start_em', 1), initFrame('do_boot', 3)],
    },
  });
}

/** erl_eval:do_apply/7, where erl_eval applies a call in code run at `place`. */
export function doApplyFrame(place: EvalPlace): Tuple {
  return places()[place].doApply;
}

/** The frames under erl_eval's at `place`: the shell's loop, or init's. */
export function placeFrames(place: EvalPlace): Tuple[] {
  return places()[place].under;
}

/**
 * erl_eval's frames written `function:arity:line,...` (innermost first): where erl_eval evaluates
 * the part of an expression a call is in (terl's compiler writes them for each call of shell code).
 */
export function evalFrames(text: string | undefined): Tuple[] {
  if (!text) return [];
  return text.split(',').map((f) => {
    const [fn, arity, line] = f.split(':');
    return erlFrame('erl_eval', fn, Number(arity), 'erl_eval.erl', Number(line));
  });
}

/** Exceptions out of shell code, with the erl_eval frames of the call they came from. */
const escapes = new WeakMap<ErlangException, string>();

export function escapedFrom(e: ErlangException, frames: string | undefined): void {
  if (frames) escapes.set(e, frames);
}

/** erl_eval's frames of the call of shell code an exception came out of, if known. */
export function escapedAt(e: ErlangException): string | undefined {
  return escapes.get(e);
}

/** shell:apply_fun/3: where erl's trace starts for an error a BIF raised in a call from shell code. */
export function applyFunFrame(): Tuple {
  return known().applyFun;
}

const INTERPRETED_FUN = atom('-inside-an-interpreted-fun-');

/** The frame erl_eval gives a shell fun none of whose clauses match the arguments. */
export function interpretedFunFrame(args: Term[]): Tuple {
  return tuple(atom('erl_eval'), INTERPRETED_FUN, list(args), NIL);
}

/** The frame under a shell fun's clause mismatch (eval_fun/8, which found it), when f is that; else undefined. */
export function evalFunFrameUnder(f: Term | undefined): Tuple | undefined {
  return f instanceof Tuple && f.elements[1] === INTERPRETED_FUN ? known().evalFun : undefined;
}

/**
 * The erl_eval frame where erl raises a failure of shell code that is not a call's: a match
 * (badmatch), a case or an if with no clause that matches; undefined for anything else.
 */
export function erlEvalRaiseFrame(e: ErlangException): Tuple | undefined {
  if (e.cls !== ERROR_CLASS) return undefined;
  const tag = e.reason instanceof Tuple ? e.reason.elements[0] : e.reason;
  if (!(tag instanceof Atom)) return undefined;
  const raised = known().raised;
  return Object.hasOwn(raised, tag.name) ? raised[tag.name] : undefined;
}

/**
 * The first frame of an exception that left shell fun f with no frame of its own, as erl's trace
 * has it: the shell's function handler made the call, or (in -eval code, which has none) erl_eval.
 */
export function shellFunTop(e: ErlangException, f: Term): Tuple | undefined {
  if (e.stack !== NIL || finalTraces.has(e)) return undefined;
  const place = f instanceof Fun && f.info.kind === 'eval' ? f.info.place : undefined;
  return erlEvalRaiseFrame(e) ?? (place === 'init' ? known().funApply : applyFunFrame());
}

/** Is f a fun made by shell code (run by erl_eval in erl)? */
export function isShellFun(f: Term): boolean {
  return f instanceof Fun && f.info.kind === 'eval';
}

/** OTP keeps at most this many frames (the default backtrace_depth). */
const MAX_FRAMES = 8;

/**
 * An exception out of the fun a library function written in Erlang in OTP called (lists:map/2,
 * maps:filter/2, ...): it gains the frames of that module's code that BEAM's trace shows at that
 * point (and, for a shell fun, the frame erl_eval or the shell raised it in).
 */
export function passedThrough(e: unknown, f: Term, frames: Tuple[]): unknown {
  if (!(e instanceof ErlangException) || finalTraces.has(e)) return e;
  const trace: Term[] = [];
  for (let t = e.stack; t instanceof List; t = t.tail) trace.push(t.head);
  const top = isShellFun(f) ? shellFunTop(e, f) : undefined;
  if (top !== undefined) trace.push(top);
  for (const fr of frames) if (trace.length < MAX_FRAMES) trace.push(fr);
  e.stack = list(trace);
  return e;
}
