// The errors crypto raises, shaped as OTP 25's: its NIFs fail with {badarg | notsup | error,
// {CFile, CLine}, Text} from a crypto.erl frame whose error_info is #{erl_function_arg_num => N}, and
// crypto:format_error/2 explains badarg and notsup ones under the call (the argument, and where in
// the C code). The C and Erlang line numbers are OTP 25.1's, as erl reports them.

import { List, Term, Tuple, atom, list, tuple, charlist, NIL, UNDEFINED } from '../../vm/term.js';
import { ErlangException, badarg, erlError, errorInfoMap } from '../../vm/exception.js';

export const CRYPTO = 'crypto';

/** A crypto.erl frame: {crypto, Fn, ArgsOrArity, [{file, "crypto.erl"}, {line, Line} | Extra]}. */
export function cryptoFrame(fn: string, argsOrArity: Term[] | number, line: number, ...extra: Term[]): Tuple {
  const a = typeof argsOrArity === 'number' ? argsOrArity : list(argsOrArity);
  return tuple(atom(CRYPTO), atom(fn), a, list([tuple(atom('file'), charlist('crypto.erl')), tuple(atom('line'), line), ...extra]));
}

export type NifErrorKind = 'badarg' | 'notsup' | 'error';

export interface NifError {
  /** the C file and line OTP's NIF names */
  c: [string, number];
  text: string;
  /** the argument it is about, or undefined for the call as a whole */
  arg: number | undefined;
  kind?: NifErrorKind;
}

/** A NIF's error from crypto:Fn(Args) at crypto.erl's `line` (Args as a list, or the arity). */
export function nifError(fn: string, args: Term[] | number, line: number, e: NifError): ErlangException {
  const kind = e.kind ?? 'badarg';
  const reason = tuple(atom(kind), tuple(charlist(e.c[0]), e.c[1]), charlist(e.text));
  const where = `(Found in the internal file ${e.c[0]} at line ${e.c[1]})`;
  const explained: Term[] =
    kind === 'error'
      ? []
      : e.arg === undefined
        ? [tuple(atom('general'), charlist(`${e.text} ${where}`))]
        : [tuple(e.arg, charlist(e.text)), tuple(atom('general'), charlist(where))];
  const info = errorInfoMap([[atom('erl_function_arg_num'), e.arg ?? UNDEFINED]], explained);
  return erlError(reason, list([cryptoFrame(fn, args, line, info)]));
}

/** badarg from erlang:iolist_to_binary/1 on a non-iodata argument, called from crypto:Fn/Arity. */
export function iolistError(t: Term, fn: string, arity: number, line: number): ErlangException {
  const e = badarg('erlang', 'iolist_to_binary', [t], { 1: 'not an iodata term' });
  return erlError(e.reason, list([(e.stack as List).head, cryptoFrame(fn, arity, line)]));
}

/** A plain badarg from a NIF with no error_info ({crypto, Fn, Args, []}), under the given callers. */
export function plainBadarg(fn: string, args: Term[], ...callers: Tuple[]): ErlangException {
  return erlError(atom('badarg'), list([tuple(atom(CRYPTO), atom(fn), list(args), NIL), ...callers]));
}

/** An error raised by crypto.erl itself at `line` of Fn/Arity. */
export function erlangError(reason: Term, fn: string, arity: number, line: number, ...callers: Tuple[]): ErlangException {
  return erlError(reason, list([cryptoFrame(fn, arity, line), ...callers]));
}

/** function_clause in crypto:Fn(Args), whose first clause is at `line`. */
export function noClause(fn: string, args: Term[], line: number): ErlangException {
  return erlError(atom('function_clause'), list([cryptoFrame(fn, args, line)]));
}
