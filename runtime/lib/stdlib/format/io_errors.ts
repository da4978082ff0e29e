// Why io:format/1,2,3 refused its arguments, in erl's words (erl_stdlib_errors' check of the
// format: "wrong number of arguments", "element 1 must be of type string", "failed to format
// string", ...). The io module raises error:badarg at io:format/N with these texts; this file
// only says what the texts are.

import { Atom, Bin, ErlFloat, List, NIL, Pid, Term, Tuple, atom, isInteger, list, listToArray } from '../../../vm/term.js';
import { ErlangException, erlError, errorInfoItem } from '../../../vm/exception.js';
import { codePoints } from './chars.js';
import { tryFormat } from './io_lib.js';

export type FormatArgType = 'int' | 'float' | 'string' | 'term';

/** erl_lint:check_format_string/1: the argument types a format wants, or why it is invalid. */
export function checkFormatString(fmt: Term | string): { ok: FormatArgType[] } | { error: string } {
  let cs: number[];
  if (typeof fmt === 'string') cs = codePoints(fmt);
  else if (fmt instanceof Atom) cs = codePoints(fmt.name);
  else if (fmt instanceof Bin) cs = Array.from(fmt.bytes);
  else cs = (listToArray(fmt) ?? []).map((c) => (typeof c === 'number' ? c : -1));
  const need: FormatArgType[] = [];
  let i = 0;
  const digit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
  while (i < cs.length) {
    if (cs[i++] !== 0x7e) continue;
    // field width
    if ((cs[i] === 0x2d && digit(cs[i + 1])) || digit(cs[i])) {
      i += cs[i] === 0x2d ? 2 : 1;
      while (digit(cs[i])) i++;
    } else if (cs[i] === 0x2d && cs[i + 1] === 0x2a) {
      i += 2;
      need.push('int');
    } else if (cs[i] === 0x2a) {
      i++;
      need.push('int');
    }
    // precision
    let padStage = true;
    if (cs[i] === 0x2e && digit(cs[i + 1])) {
      i += 2;
      while (digit(cs[i])) i++;
    } else if (cs[i] === 0x2e && cs[i + 1] === 0x2a) {
      i += 2;
      need.push('int');
    } else if (cs[i] === 0x2e) {
      i++;
    } else padStage = false;
    // pad character
    if (padStage) {
      if (cs[i] === 0x2e && cs[i + 1] === 0x2a) {
        i += 2;
        need.push('int');
      } else if (cs[i] === 0x2e && i + 1 < cs.length) {
        i += 2;
      }
    }
    // modifiers: t, l, tl (read as lt), lt
    const ch = (c: number | undefined) => (c === undefined ? '' : String.fromCodePoint(c));
    const T = 0x74;
    const L = 0x6c;
    if (cs[i] === T && cs[i + 1] === L) {
      // ~tl... is read as ~lt...
      cs[i] = L;
      cs[i + 1] = T;
    }
    if (cs[i] === T && i + 1 < cs.length) {
      if ([0x63, 0x73, 0x70, 0x50, 0x77, 0x57].includes(cs[i + 1])) i++;
      else return { error: 'invalid control ~t' + ch(cs[i + 1]) };
    } else if (cs[i] === L && i + 1 < cs.length) {
      const n = cs[i + 1];
      if (n === 0x70 || n === 0x50) i++;
      else if (n === T && (cs[i + 2] === 0x70 || cs[i + 2] === 0x50)) i += 2;
      else if (n === T) return { error: 'invalid control ~lt' + ch(cs[i + 2]) };
      else return { error: 'invalid control ~l' + ch(n) };
    }
    if (i >= cs.length) return { error: 'truncated' };
    const c = cs[i++];
    switch (String.fromCodePoint(Math.max(c, 0))) {
      case '~':
      case 'n':
        break;
      case 'c':
      case 'b':
      case 'B':
        need.push('int');
        break;
      case 'f':
      case 'e':
      case 'g':
        need.push('float');
        break;
      case 's':
        need.push('string');
        break;
      case 'w':
      case 'p':
      case '+':
      case '#':
      case 'i':
        need.push('term');
        break;
      case 'W':
      case 'P':
        need.push('term', 'int');
        break;
      case 'x':
      case 'X':
        need.push('int', 'string');
        break;
      default:
        return { error: 'invalid control ~' + ch(c < 0 ? undefined : c) };
    }
  }
  return { ok: need };
}

/** Explanations keyed like runtime/vm/exception.ts's `why`: argument number, or general. */
export interface IoWhy {
  args: Record<number, string>;
  general?: string;
}

function isIoFormat(t: Term): boolean {
  if (t instanceof Atom || t instanceof Bin) return true;
  const items = listToArray(t);
  return items !== undefined && items.every((c) => isInteger(c));
}

function mustBeList(t: Term): string | undefined {
  if (t === NIL) return undefined;
  if (!(t instanceof List)) return 'not a list';
  return listToArray(t) === undefined ? 'not a proper list' : undefined;
}

/** Is a list chardata that unicode:characters_to_binary/1 takes? */
function isChardata(t: Term): boolean {
  if (t instanceof Bin) return t.isBinary;
  if (t === NIL) return true;
  if (!(t instanceof List)) return false;
  let x: Term = t;
  while (x instanceof List) {
    const h = x.head;
    if (typeof h === 'number') {
      if (!(h >= 0 && (h < 0xd800 || (h > 0xdfff && h <= 0x10ffff)))) return false;
    } else if (!isChardata(h)) return false;
    x = x.tail;
  }
  return x === NIL || (x instanceof Bin && x.isBinary);
}

function checkArguments(types: FormatArgType[], args: Term[]): string[] {
  const errs: string[] = [];
  types.forEach((type, k) => {
    const a = args[k];
    const no = k + 1;
    const ok =
      type === 'term' ||
      (type === 'int' && isInteger(a)) ||
      (type === 'float' && a instanceof ErlFloat) ||
      (type === 'string' && (a instanceof Atom || (a instanceof Bin && a.isBinary) || ((a instanceof List || a === NIL) && isChardata(a))));
    if (!ok) errs.push(`element ${no} must be of type ${type === 'int' ? 'integer' : type}`);
  });
  return errs;
}

/**
 * What erl prints under io:format(Fmt, Args)'s badarg when the device refused the request with
 * `cause` (format for a format the device could not expand). Argument 1 is Fmt, 2 is Args.
 */
export function explainFormatError(fmt: Term, args: Term, cause: string = 'format'): IoWhy {
  const why: IoWhy = { args: {} };
  if (!isIoFormat(fmt)) {
    why.args[1] = 'not a valid format string';
    const l = mustBeList(args);
    if (l !== undefined) why.args[2] = l;
    if (fmt instanceof Pid && isIoFormat(args)) why.general = 'possibly missing argument list';
    return why;
  }
  if (!(args instanceof List || args === NIL)) {
    why.args[2] = mustBeList(args)!;
    return why;
  }
  const checked = checkFormatString(fmt);
  if ('error' in checked) {
    why.args[1] = `format string invalid (${checked.error})`;
    return why;
  }
  const arr = listToArray(args);
  if (arr === undefined) return why; // erl's explanation fails on an improper list: nothing is said
  if (checked.ok.length !== arr.length) {
    why.args[1] = 'wrong number of arguments';
    if (fmt instanceof Atom) why.general = 'possibly missing argument list';
    return why;
  }
  const errs = checkArguments(checked.ok, arr);
  if (errs.length > 0) {
    why.args[2] = errs.join('\n');
    return why;
  }
  if (cause === 'format' || tryFormat(fmt, arr) === undefined) why.args[1] = 'failed to format string';
  else why.general = `{unknown_error,${cause}}`;
  return why;
}

/**
 * error:badarg from io:Name(Args...) for a format the device refused, with erl's explanation:
 * the frame {io, Name, CallArgs, [{error_info, ...}]} that formatException prints.
 * callArgs are the call's own arguments: [Fmt], [Fmt, Args] or [Device, Fmt, Args].
 */
export function ioFormatBadarg(name: 'format' | 'fwrite', callArgs: Term[], cause: string = 'format'): ErlangException {
  const hasDevice = callArgs.length === 3;
  const fmt = hasDevice ? callArgs[1] : callArgs[0];
  const args = callArgs.length === 1 ? NIL : callArgs[callArgs.length - 1];
  const why = explainFormatError(fmt, args, cause);
  const shift = hasDevice ? 1 : 0;
  const items: Term[] = Object.entries(why.args).map(([n, text]) => new Tuple([Number(n) + shift, list(codePoints(text))]));
  if (why.general !== undefined) items.push(new Tuple([atom('general'), list(codePoints(why.general))]));
  const extra = items.length > 0 ? list([errorInfoItem(items, 'erl_stdlib_errors')]) : NIL;
  return erlError(atom('badarg'), list([new Tuple([atom('io'), atom(name), list(callArgs), extra])]));
}
