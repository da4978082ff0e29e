// Funs of compiled modules between terl and real Erlang nodes. OTP finds a fun's code by its module,
// index and old uniq (the first 27 bits of the module's md5), and names each fun as its compiler
// does ('-start/1-fun-0-'). terl names its funs the same way (src/compile/fun_names.ts) but numbers
// and hashes its own compile of the module, so a peer's numbers for a module are asked for, once
// per connection: its loaded md5 (M:module_info(md5)) and the fun table of its object code
// (code:get_object_code/1, read as beam_lib would). Then
//
//   out  a fun of module M going to the peer is written with the peer's numbers for the fun of
//        the same name, so the real node runs its own code (runtime/distribution/fun_naming.ts);
//   in   a fun of M from the peer that terl cannot place by md5 is found, when first called, by
//        the name the peer's table gives its index.
//
// A fun of a module the receiving node does not have fails as OTP's do, {undef, [{Fun, Args, []}]};
// a module whose funs differ (another version) gives badfun.

import { Atom, Bin, Fun, Pid, Term, Tuple, atom, list, tuple, NIL } from '../../vm/term.js';
import type { FunKind } from '../../vm/term.js';
import { erlError } from '../../vm/exception.js';
import { codeServer } from '../../vm/code_server.js';
import { node } from '../../vm/node.js';
import { awaitPromise } from '../../vm/scheduler.js';
import { resolveFun } from '../../vm/funs.js';
import { setFunNaming, FunTableNeeded } from '../../distribution/fun_naming.js';
import type { LocalFunInfo, WireFun } from '../../distribution/fun_naming.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { rexCall } from './dist_common.js';
import { beamChunks, beamFuns } from '../stdlib/beam_chunks.js';
import type { BeamFun } from '../stdlib/beam_chunks.js';

/** What terl's compiled modules offer (src/compile/module.ts CompiledModule). */
interface LocalModule {
  md5?: Uint8Array;
  lambdas?: readonly { name: string | undefined; arity: number; free: number }[];
  makeFun?(index: number, free: Term[]): Fun | undefined;
}

/** A peer's module: its md5 and funs. */
interface PeerModule {
  md5: Uint8Array;
  uniq: number;
  funs: BeamFun[];
}

/** absent: the peer has no such module; same: it has terl's own (a terl peer); unknown: it could not say */
type Known = PeerModule | 'absent' | 'same' | 'unknown';

const ASK_TIMEOUT_MS = 5000;
const A = {
  module_info: atom('module_info'),
  md5: atom('md5'),
  code: atom('code'),
  get_object_code: atom('get_object_code'),
  badrpc: atom('badrpc'),
  EXIT: atom('EXIT'),
  undef: atom('undef'),
  badfun: atom('badfun'),
  erl_eval: atom('erl_eval'),
};

const known = new Map<Atom, Map<Atom, Known>>();
const asking = new Map<string, Promise<Known>>();
const askers = new Set<Pid>();
/** object code this node had a peer load (nl/1 to a real node): its fun table when the peer has no file */
const shipped = new Map<Atom, Map<Atom, Uint8Array>>();

/** The old uniq OTP derives from a module's md5: its first 27 bits. */
export function oldUniqOf(md5: Uint8Array): number {
  return ((md5[0] << 19) | (md5[1] << 11) | (md5[2] << 3) | (md5[3] >> 5)) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function localModule(m: Atom): LocalModule | undefined {
  return codeServer.module(m) as LocalModule | undefined;
}

/** The peer loaded `beam` as module m (nl/1, code:load_binary/3 from here): its numbers come from it. */
export function recordShipped(peer: Atom, m: Atom, beam: Uint8Array): void {
  let s = shipped.get(peer);
  if (s === undefined) shipped.set(peer, (s = new Map()));
  s.set(m, beam);
  known.get(peer)?.delete(m);
}

/** Forget what peer said about m (it loaded new code). */
export function forgetPeerModule(peer: Atom, m: Atom): void {
  known.get(peer)?.delete(m);
}

function rpc(peer: Atom, m: Atom, f: Atom, args: Term[]): Generator<unknown, Term | undefined, unknown> {
  return rexCall(peer, m, f, args, ASK_TIMEOUT_MS);
}

function isUndef(r: Term | undefined): boolean {
  // {badrpc, {'EXIT', {undef, _}}}
  if (!(r instanceof Tuple) || r.size !== 2 || r.elements[0] !== A.badrpc) return false;
  const e = r.elements[1];
  if (!(e instanceof Tuple) || e.size !== 2 || e.elements[0] !== A.EXIT) return false;
  const why = e.elements[1];
  return why instanceof Tuple && why.elements[0] === A.undef;
}

function peerModuleOf(beam: Uint8Array, md5: Uint8Array): PeerModule | undefined {
  try {
    const funs = beamFuns(beamChunks(beam));
    const uniq = oldUniqOf(md5);
    // object code that is not what the peer has loaded numbers its funs otherwise
    if (funs.some((f) => f.oldUniq !== uniq)) return undefined;
    return { md5, uniq, funs };
  } catch {
    return undefined;
  }
}

/** The asking, in a process of its own (its signals pass the frames the connection holds). */
function* ask(peer: Atom, m: Atom): Generator<unknown, Known, unknown> {
  const md5 = yield* rpc(peer, m, A.module_info, [A.md5]);
  if (isUndef(md5)) return 'absent';
  if (!(md5 instanceof Bin) || md5.bytes.length !== 16) return 'unknown';
  const mine = localModule(m)?.md5;
  if (mine !== undefined && sameBytes(mine, md5.bytes)) return 'same';
  const obj = yield* rpc(peer, A.code, A.get_object_code, [m]);
  if (obj instanceof Tuple && obj.size === 3 && obj.elements[1] instanceof Bin) {
    const pm = peerModuleOf(obj.elements[1].bytes, md5.bytes);
    if (pm !== undefined) return pm;
  }
  const sent = shipped.get(peer)?.get(m);
  if (sent !== undefined) return peerModuleOf(sent, md5.bytes) ?? 'unknown';
  return 'unknown';
}

function learnKnown(peer: Atom, m: Atom): Promise<Known> {
  const have = known.get(peer)?.get(m);
  if (have !== undefined) return Promise.resolve(have);
  const key = `${peer.name} ${m.name}`;
  let p = asking.get(key);
  if (p !== undefined) return p;
  p = new Promise<Known>((resolve) => {
    const proc = node.spawn(function* () {
      let k: Known = 'unknown';
      try {
        k = yield* ask(peer, m);
      } finally {
        let perPeer = known.get(peer);
        if (perPeer === undefined) known.set(peer, (perPeer = new Map()));
        if (netKernel.connection(peer) !== undefined) perPeer.set(m, k);
        asking.delete(key);
        askers.delete(proc.pid);
        resolve(k);
      }
      return atom('normal');
    }, []);
    askers.add(proc.pid);
  });
  asking.set(key, p);
  return p;
}

/** The module's funs by name and code arity, as a set to compare two compiles' tables. */
function shape(funs: { name: string | undefined; arity: number; free: number }[]): string {
  return funs
    .map((f) => `${f.name ?? '?'}/${f.arity}/${f.free}`)
    .sort()
    .join(' ');
}

/** Do terl's compile of m and the peer's have the same funs? (Otherwise they are other versions.) */
function sameFuns(local: LocalModule, pm: PeerModule): boolean {
  const mine = (local.lambdas ?? []).map((l) => ({ name: l.name, arity: l.arity + l.free, free: l.free }));
  return shape(mine) === shape(pm.funs);
}

// ---------- out ----------

function wireName(peer: Atom, info: LocalFunInfo): WireFun | undefined {
  const k = known.get(peer)?.get(info.module);
  if (k === undefined) {
    if (netKernel.connection(peer) === undefined) return undefined;
    throw new FunTableNeeded(info.module);
  }
  if (typeof k === 'string' || info.name === undefined) return undefined;
  const local = localModule(info.module);
  if (local === undefined || !sameFuns(local, k)) return undefined;
  const there = k.funs.find((f) => f.name === info.name!.name && f.free === info.free.length);
  if (there === undefined) return undefined;
  return { index: there.index, uniq: k.uniq, md5: k.md5 };
}

// ---------- in ----------

type ForeignInfo = Extract<FunKind, { kind: 'foreign' }>;

/** The fun a peer sent, as terl's code runs it; throws OTP's undef or badfun when there is none. */
function* placeFun(f: Fun, info: ForeignInfo, args: Term[]): Generator<unknown, Fun, unknown> {
  if (!codeServer.ensureLoaded(info.module)) throw erlError(A.undef, list([tuple(f, list(args), NIL)]));
  const local = localModule(info.module);
  const badfun = erlError(tuple(A.badfun, f));
  const origin = info.pid.node;
  if (local?.makeFun === undefined || local.lambdas === undefined || origin === node.name) throw badfun;
  let k = yield* awaitPromise(learnKnown(origin, info.module));
  if (typeof k !== 'string' && k.uniq !== info.uniq) {
    // the peer has loaded another version since it told us
    forgetPeerModule(origin, info.module);
    k = yield* awaitPromise(learnKnown(origin, info.module));
  }
  if (typeof k === 'string' || k.uniq !== info.uniq || !sameFuns(local, k)) throw badfun;
  const there = k.funs.find((x) => x.index === info.index);
  if (there === undefined || there.free !== info.free.length) throw badfun;
  const mine = local.lambdas.findIndex((l) => l.name === there.name && l.free === there.free && l.arity + l.free === there.arity);
  const g = mine < 0 ? undefined : local.makeFun(mine, info.free);
  if (g === undefined || g.arity !== f.arity) throw badfun;
  return g;
}

/** A fun from the wire that terl's code may run: its code is found when it is first called. */
function placedLater(arity: number, info: ForeignInfo): Fun {
  let placed: Fun | undefined;
  const f: Fun = new Fun(
    arity,
    function* (...args: Term[]) {
      placed ??= yield* placeFun(f, info, args);
      return yield* placed.fn!(...args);
    },
    info,
  );
  return f;
}

function resolve(arity: number, info: FunKind): Fun | undefined {
  const f = resolveFun(arity, info);
  if (f !== undefined || info.kind !== 'foreign' || info.module === A.erl_eval) return f;
  return placedLater(arity, info);
}

export const peerFunResolver = resolve;

setFunNaming({
  wireName,
  learn: (peer, m) => learnKnown(peer, m).then(() => undefined),
  asks: (pid) => pid !== undefined && askers.has(pid),
});

netKernel.onNode((event, peer) => {
  if (event === 'nodedown') {
    known.delete(peer);
    shipped.delete(peer);
  }
});
