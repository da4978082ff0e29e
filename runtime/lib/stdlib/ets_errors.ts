// ets's badarg errors as OTP 25 raises and explains them: the BIF fails with a `cause` in its
// error_info ({error_info, #{module => erl_stdlib_errors, cause => C}}), and the shell prints one
// text per argument, worked out from the arguments and the cause the way erl_stdlib_errors does
// (so a wrong table and a wrong object in one call are both explained).

import { List, NIL, Ref, Tuple, Term, atom, charlist, isInteger, list, tuple, Atom, Pid } from '../../vm/term.js';
import { ErlangException, erlError, errorInfoItem, frame } from '../../vm/exception.js';
import { compileMatchSpec, CompiledMatchSpec } from '../../vm/match_spec.js';
import { libFrame } from '../common.js';

/** Why an ets BIF failed, as the error_info's cause names it ('none': no cause given). */
export type Cause =
  | 'none'
  | 'type'
  | 'id'
  | 'access'
  | 'table_type'
  | 'badkey'
  | 'keypos'
  | 'position'
  | 'owner'
  | 'not_owner'
  | 'already_exists';

const TEXT = {
  badContinuation: 'invalid continuation',
  badInfoItem: 'not a valid info item',
  badKey: 'not a key that exists in the table',
  badMatchspec: 'not a valid match specification',
  badOptions: 'invalid options',
  badTableName: 'invalid table name (must be an atom)',
  badUpdateOp: 'not a valid update operation',
  badBoolean: 'not a boolean value',
  counterNotInteger: 'the value in the given position, in the object, is not an integer',
  deadProcess: 'the pid refers to a terminated process',
  emptyTuple: 'is an empty tuple',
  nameExists: 'table name already exists',
  notAtom: 'not an atom',
  notInteger: 'not an integer',
  notList: 'not a list',
  notProperList: 'not a proper list',
  notOwner: 'the current process is not the owner',
  alreadyOwner: 'the process is already the owner of the table',
  notPid: 'not a pid',
  notTuple: 'not a tuple',
  notTupleOrList: 'not a non-empty tuple or a list of non-empty tuples',
  range: 'out of range',
  sameAsKeypos: 'the position is the same as the key position',
  updateOpRange: 'the position in the update operation is out of range',
  badElementSpec: 'is not a valid element specification',
  positionTooBig: 'position is greater than the size of the object',
};

/** The text for the table argument. */
function causeText(args: Term[], cause: Cause): string {
  switch (cause) {
    case 'type':
      return args[0] instanceof Ref ? 'not a valid table identifier' : 'not an atom or a table identifier';
    case 'id':
      return 'the table identifier does not refer to an existing ETS table';
    case 'access':
      return 'the table identifier refers to an ETS table with insufficient access rights';
    case 'table_type':
      return 'the table identifier refers to an ETS table of a type not supported by this operation';
    default:
      return '';
  }
}

function withDefault(text: string, args: Term[], cause: Cause): string[] {
  const c = causeText(args, cause);
  return c === '' ? ['', text] : [c];
}

function nonNegative(n: Term): string {
  if (!isInteger(n)) return TEXT.notInteger;
  return n < 1 ? TEXT.range : '';
}

function tupleText(t: Term): string {
  if (t instanceof Tuple) return t.elements.length > 0 ? '' : TEXT.emptyTuple;
  return TEXT.notTuple;
}

function objectsText(t: Term): string {
  if (t instanceof Tuple) return t.elements.length > 0 ? '' : TEXT.emptyTuple;
  if (t === NIL || t instanceof List) {
    let l: Term = t;
    while (l instanceof List) {
      if (!(l.head instanceof Tuple) || l.head.elements.length === 0) return TEXT.notTupleOrList;
      l = l.tail;
    }
    return l === NIL ? '' : TEXT.notTupleOrList;
  }
  return TEXT.notTuple;
}

function isUpdateOp(t: Term): boolean {
  if (isInteger(t)) return true;
  if (!(t instanceof Tuple)) return false;
  const e = t.elements;
  return (e.length === 2 || e.length === 4) && e.every(isInteger);
}

function isUpdateOps(t: Term): boolean {
  if (t === NIL || t instanceof List) {
    for (let l: Term = t; l instanceof List; l = l.tail) if (!isUpdateOp(l.head)) return false;
    return true;
  }
  return isUpdateOp(t);
}

function isElementSpec(t: Term): boolean {
  const one = (x: Term) => x instanceof Tuple && x.elements.length === 2 && isInteger(x.elements[0]) && x.elements[0] > 0;
  if (t === NIL || t instanceof List) {
    for (let l: Term = t; l instanceof List; l = l.tail) if (!one(l.head)) return false;
    return true;
  }
  return one(t);
}

function isMatchSpec(t: Term): boolean {
  return isCompiledMs(t) || compileMatchSpec(t) instanceof CompiledMatchSpec;
}

let compiledCheck: (t: Term) => boolean = () => false;
/** ets.ts tells how to recognise a compiled match spec (a reference made by match_spec_compile). */
export function setCompiledMsCheck(f: (t: Term) => boolean): void {
  compiledCheck = f;
}
function isCompiledMs(t: Term): boolean {
  return compiledCheck(t);
}

/** One text per argument ('' for none), as erl_stdlib_errors words them. */
export function explain(fn: string, args: Term[], cause: Cause): string[] {
  const tab = causeText(args, cause);
  switch (fn) {
    case 'delete_object':
      return [tab, tupleText(args[1])];
    case 'give_away':
      if (cause === 'owner') return [tab, TEXT.alreadyOwner];
      if (cause === 'not_owner') return [tab, TEXT.notOwner];
      return [tab, args[1] instanceof Pid ? (tab === '' ? TEXT.deadProcess : '') : TEXT.notPid];
    case 'info':
      return withDefault(TEXT.badInfoItem, args, cause);
    case 'insert':
    case 'insert_new':
      return [tab, objectsText(args[1])];
    case 'lookup_element': {
      const pos = nonNegative(args[2]);
      if (cause === 'badkey') return [tab, TEXT.badKey, pos];
      return tab === '' && pos === '' ? ['', '', TEXT.positionTooBig] : [tab, '', pos];
    }
    case 'match':
    case 'match_object':
    case 'select':
    case 'select_reverse':
      if (args.length === 1) return [TEXT.badContinuation];
      if (args.length === 3) {
        const limit = [tab, '', nonNegative(args[2])];
        if (fn === 'select' || fn === 'select_reverse') limit[1] = isMatchSpec(args[1]) ? '' : TEXT.badMatchspec;
        return limit;
      }
      return fn === 'select' || fn === 'select_reverse' ? withDefault(TEXT.badMatchspec, args, cause) : [tab];
    case 'match_spec_compile':
      return [TEXT.badMatchspec];
    case 'next':
    case 'prev':
      return withDefault(TEXT.badKey, args, cause);
    case 'new': {
      const name = args[0] instanceof Atom ? '' : TEXT.notAtom;
      const opts = listText(args[1]);
      if (name === '' && opts === '') return cause === 'already_exists' ? [TEXT.nameExists, ''] : ['', TEXT.badOptions];
      return [name, opts];
    }
    case 'rename': {
      const r = [tab, args[1] instanceof Atom ? '' : TEXT.badTableName];
      return r[0] === '' && r[1] === '' ? ['', TEXT.nameExists] : r;
    }
    case 'safe_fixtable':
      return withDefault(TEXT.badBoolean, args, cause);
    case 'select_count':
    case 'internal_select_delete':
    case 'select_replace':
      return withDefault(TEXT.badMatchspec, args, cause);
    case 'setopts':
      return withDefault(TEXT.badOptions, args, cause);
    case 'slot':
      return withDefault(TEXT.range, args, cause);
    case 'update_counter':
      return args.length === 3 ? updateCounter3(args, cause, tab) : updateCounter4(args, cause, tab);
    case 'update_element': {
      if (cause === 'keypos') return [tab, '', TEXT.sameAsKeypos];
      if (isElementSpec(args[2])) return tab === '' ? [tab, '', TEXT.range] : [tab, ''];
      return [tab, '', TEXT.badElementSpec];
    }
    case 'whereis':
      return [TEXT.badTableName];
    default:
      return [tab];
  }
}

function listText(t: Term): string {
  if (t === NIL) return '';
  if (!(t instanceof List)) return TEXT.notList;
  let l: Term = t;
  while (l instanceof List) l = l.tail;
  return l === NIL ? '' : TEXT.notProperList;
}

function updateCounter3(args: Term[], cause: Cause, tab: string): string[] {
  const op = args[2];
  switch (cause) {
    case 'badkey':
      return [tab, TEXT.badKey, isUpdateOps(op) ? '' : TEXT.badUpdateOp];
    case 'keypos':
      return [tab, '', TEXT.sameAsKeypos];
    case 'position':
      return [tab, '', TEXT.updateOpRange];
    case 'none':
      return [tab, '', isUpdateOps(op) ? TEXT.counterNotInteger : TEXT.badUpdateOp];
    default:
      return [tab, '', isUpdateOps(op) ? '' : TEXT.badUpdateOp];
  }
}

function updateCounter4(args: Term[], cause: Cause, tab: string): string[] {
  if (tab !== '') return [tab];
  const op = args[2];
  const dflt = tupleText(args[3]);
  const opText = isUpdateOps(op) ? '' : TEXT.badUpdateOp;
  switch (cause) {
    case 'badkey':
      return ['', TEXT.badKey, opText, dflt];
    case 'keypos':
      return ['', '', TEXT.sameAsKeypos, dflt];
    case 'position':
      return ['', '', TEXT.updateOpRange];
    default:
      return opText === '' && dflt === '' ? ['', '', TEXT.counterNotInteger] : ['', '', opText, dflt];
  }
}

/**
 * error:badarg from ets:fn(args...) with its error_info; `callers` are the frames of ets.erl's
 * own functions that called it (ets:select_delete/2 calling ets:internal_select_delete/2).
 */
export function etsBadarg(fn: string, args: Term[], cause: Cause, callers: Tuple[] = []): ErlangException {
  const texts = explain(fn, args, cause);
  const items = texts.flatMap((t, i) => (t === '' ? [] : [tuple(i + 1, charlist(t))]));
  const info = errorInfoItem(items, 'erl_stdlib_errors', cause === 'none' ? undefined : cause);
  return erlError(atom('badarg'), list([frame('ets', fn, args, list([info])), ...callers]));
}

/** A frame of ets.erl's own Erlang code (OTP 25's line numbers). */
export function etsFrame(name: string, arity: number, line: number): Tuple {
  return libFrame('ets', name, arity, line);
}
