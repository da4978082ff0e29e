// Funs that arrive in external terms (a remote spawn(Node, Fun), a fun in a message): the ones
// this node can run get their code back, as BEAM finds a fun's code by module, index and the
// module's md5. A fun of a module this node does not have, or has in another version, stays data:
// it re-encodes to the same bytes and fails with badfun when called (the seed's lesson: keep the
// code in sync, nl(Mod) ships it).

import { Fun, atom } from './term.js';
import type { FunKind, Term } from './term.js';
import { codeServer } from './code_server.js';
import { callExport } from './abi.js';

/** What a compiled module (src/compile/module.ts CompiledModule) offers for rebuilding its funs. */
interface FunMaker {
  md5?: Uint8Array;
  makeFun?(index: number, free: Term[]): Fun | undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Builds a runnable shell fun from erl_eval closure data (src/eval_fun.ts: the compiler is above the runtime). */
export type EvalFunMaker = (arity: number, env: Term) => Fun | undefined;

let evalFunMaker: EvalFunMaker | undefined;

export function setEvalFunMaker(maker: EvalFunMaker | undefined): void {
  evalFunMaker = maker;
}

const ERL_EVAL = atom('erl_eval');

/** The runnable fun for a NEW_FUN_EXT, or undefined to keep it as data (never an exception: this runs while decoding). */
export function resolveFun(arity: number, info: FunKind): Fun | undefined {
  try {
    return findFun(arity, info);
  } catch {
    return undefined;
  }
}

function findFun(arity: number, info: FunKind): Fun | undefined {
  if (info.kind === 'export') {
    // fun M:F/A calls whatever M:F/A is when called (undef then, if there is none)
    const { module, name } = info;
    return new Fun(arity, (...args: Term[]) => callExport(codeServer, module, name, arity, args), info);
  }
  if (info.kind !== 'foreign') return undefined;
  if (info.module === ERL_EVAL) {
    // a shell fun: erl_eval's closure carries its clauses in the abstract format
    if (evalFunMaker === undefined || info.free.length !== 1) return undefined;
    const f = evalFunMaker(arity, info.free[0]);
    if (f !== undefined && f.info.kind === 'eval') f.info.pid = info.pid;
    return f;
  }
  if (!codeServer.ensureLoaded(info.module)) return undefined;
  const code = codeServer.module(info.module) as FunMaker | undefined;
  if (code?.makeFun === undefined || code.md5 === undefined || !sameBytes(code.md5, info.md5)) return undefined;
  const f = code.makeFun(info.index, info.free);
  if (f === undefined || f.arity !== arity || f.info.kind !== 'local') return undefined;
  // keep the creator, so the fun goes back on the wire as it came
  return new Fun(f.arity, f.fn, { ...f.info, pid: info.pid });
}
