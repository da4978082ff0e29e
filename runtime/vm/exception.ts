// Erlang exceptions as one JavaScript class: class (error/throw/exit), reason and stack.
// Not an Error subclass: capturing a JS stack on every throw would be slow and useless.

import { Atom, Term, Tuple, ErlMap, atom, list, tuple, NIL } from './term.js';

export const ERROR_CLASS = atom('error');
export const THROW_CLASS = atom('throw');
export const EXIT_CLASS = atom('exit');

export class ErlangException {
  constructor(
    readonly cls: Atom,
    readonly reason: Term,
    /** Erlang stacktrace: a list of {M, F, ArityOrArgs, Location} */
    public stack: Term = NIL,
  ) {}
  /**
   * erlang:error(Reason, Args) and error/3: the arguments the raising function's frame shows in place
   * of its arity, and the items error/3's error_info option adds to that frame's location.
   */
  callArgs?: Term;
  callInfo?: Term[];
}

export function isErlangException(e: unknown): e is ErlangException {
  return e instanceof ErlangException;
}

export function erlError(reason: Term, stack: Term = NIL): ErlangException {
  return new ErlangException(ERROR_CLASS, reason, stack);
}

export function erlThrow(reason: Term): ErlangException {
  return new ErlangException(THROW_CLASS, reason);
}

export function erlExit(reason: Term): ErlangException {
  return new ErlangException(EXIT_CLASS, reason);
}

/** A stack frame {M, F, Args, [ErrorInfo]} naming the BIF that failed and its arguments. */
export function frame(module: string, name: string, args: Term[], extra: Term = NIL): Tuple {
  return tuple(atom(module), atom(name), list(args), extra);
}

/**
 * error(badarg) raised by a BIF, with the frame that lets the shell print
 * `in function  hd/1`, `called as hd([])` and `*** argument 1: not a nonempty list`.
 * `why` gives the per-argument explanation texts (OTP's error_info), keyed by 1-based argument number
 * (`{}`: an error_info item with no text); `cause` is the `cause` OTP's BIF puts in that item.
 */
export function badarg(module: string, name: string, args: Term[], why?: Record<number, string>, cause?: string): ErlangException {
  return erlError(atom('badarg'), list([frame(module, name, args, errorInfo(why, cause))]));
}

/** Any error reason from a BIF, with its frame (badarith from erlang:'+'/2, system_limit, ...). */
export function bifError(
  reason: Term,
  module: string,
  name: string,
  args: Term[],
  why?: Record<number, string>,
  cause?: string,
): ErlangException {
  return erlError(reason, list([frame(module, name, args, errorInfo(why, cause))]));
}

function errorInfo(why?: Record<number, string>, cause?: string): Term {
  if (!why) return NIL;
  const items = Object.entries(why).map(([n, text]) => tuple(Number(n), list([...text].map((c) => c.codePointAt(0)!))));
  return list([errorInfoItem(items, 'erl_erts_errors', cause)]);
}

/**
 * The explanations behind a frame's `{error_info, #{module => ...}}` item. OTP keeps them in the
 * module named there and computes the texts when printing; terl computes them when raising and
 * keeps them beside the item, so the term itself looks (and prints, and travels) as OTP's.
 */
const explanations = new WeakMap<Tuple, Term[]>();

/** An `{error_info, #{module => Module}}` frame item carrying `[{N | general | reason, Text}]` explanations. */
export function errorInfoItem(items: Term[], module = 'erl_erts_errors', cause?: string): Tuple {
  const info: [Term, Term][] = [[atom('module'), atom(module)]];
  if (cause !== undefined) info.push([atom('cause'), atom(cause)]);
  return errorInfoMap(info, items);
}

/** An `{error_info, Map}` frame item with any map (crypto's is `#{erl_function_arg_num => N}`) and its explanations. */
export function errorInfoMap(info: [Term, Term][], items: Term[]): Tuple {
  const t = tuple(atom('error_info'), ErlMap.from(info));
  explanations.set(t, items);
  return t;
}

/** Give an error_info item made elsewhere (a binary segment's) its explanations. */
export function explainErrorInfo(item: Tuple, items: Term[]): Tuple {
  explanations.set(item, items);
  return item;
}

/** The explanations of an error_info frame item, when terl made it. */
export function errorInfoExplanations(item: Term): Term[] | undefined {
  return item instanceof Tuple ? explanations.get(item) : undefined;
}
