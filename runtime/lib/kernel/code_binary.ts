// Code between terl and real nodes. terl runs no BEAM code, so:
//
//   in   code:load_binary/3 of a .beam (a real node's nl/1 and nc/1 cast it to every node's rex)
//        compiles the abstract code of its debug-info chunk (Dbgi, or Abst of older compilers);
//        without debug info, the source its compile info names is fetched from the node that
//        sent it (the caller's group leader's) or read here; neither: {error, badfile} and one
//        line saying why;
//   out  nl/1 and nc/1 send a terl node the module's source (runtime/lib/kernel/code_loading.ts)
//        and a real node the module's abstract forms to compile with its own compile:forms/2
//        and load with code:load_binary/3, so both run the same program.
//
// terl's object code is the module's source: code:get_object_code(Mod) on a terl node answers
// {Mod, Source, File} with the source text as a binary (what nl/1 sends between terl nodes) and
// the .erl's absolute name, found as the loader finds it (the library, the code path, and with
// -loader inet the boot server). A real node that asks by rpc gets that tuple, not a .beam: its
// code:load_binary/3 refuses it ({error,badfile}); terl's code:load_binary/3 takes it, so
// get_object_code and load_binary carry a module from one terl node to another as on BEAM.

import { readFile } from 'node:fs/promises';
import { Atom, Bin, Pid, Term, Tuple, atom, charlist, list, listToArray, listToString, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S, awaitPromise } from '../../vm/scheduler.js';
import { logger } from '../../vm/logger.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import type { Process } from '../../vm/process.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { language } from '../language.js';
import { beamChunks, beamModule, beamTerm } from '../stdlib/beam_chunks.js';
import { codePath, findInLibrary } from '../../vm/code_path.js';
import { readFileSync } from 'node:fs';
import { fetchFirst, onMaster, usingInet } from '../erts/erl_prim_loader.js';
import { joinText } from '../../vm/path.js';
import { errorIn, rexCall } from './dist_common.js';
import { fnClause } from '../common.js';
import { loadSource, TERL_CODE, sourceMessage } from './code_loading.js';
import { recordShipped } from './peer_funs.js';

const A = {
  module: atom('module'),
  error: atom('error'),
  badfile: atom('badfile'),
  ok: atom('ok'),
  debug_info_v1: atom('debug_info_v1'),
  erl_abstract_code: atom('erl_abstract_code'),
  raw_abstract_v1: atom('raw_abstract_v1'),
  source: atom('source'),
  file: atom('file'),
  read_file: atom('read_file'),
  compile: atom('compile'),
  forms: atom('forms'),
  code: atom('code'),
  load_binary: atom('load_binary'),
  binary: atom('binary'),
  return_errors: atom('return_errors'),
  debug_info: atom('debug_info'),
  erlang: atom('erlang'),
  whereis: atom('whereis'),
};

const RPC_TIMEOUT_MS = 15000;

function rpc(peer: Atom, m: Atom, f: Atom, args: Term[]): Generator<unknown, Term | undefined, unknown> {
  return rexCall(peer, m, f, args, RPC_TIMEOUT_MS);
}

function report(text: string): void {
  logger().report('ERROR REPORT', text);
}

/** The abstract forms a .beam carries: Dbgi {debug_info_v1, erl_abstract_code, {Forms, _}} or Abst {raw_abstract_v1, Forms}. */
function abstractCode(chunks: Map<string, Uint8Array>): Term | undefined {
  const dbgi = beamTerm(chunks, 'Dbgi');
  if (dbgi instanceof Tuple && dbgi.size === 3 && dbgi.elements[0] === A.debug_info_v1 && dbgi.elements[1] === A.erl_abstract_code) {
    const d = dbgi.elements[2];
    if (d instanceof Tuple && d.size === 2 && listToArray(d.elements[0]) !== undefined) return d.elements[0];
  }
  const abst = beamTerm(chunks, 'Abst');
  if (abst instanceof Tuple && abst.size === 2 && abst.elements[0] === A.raw_abstract_v1) return abst.elements[1];
  return undefined;
}

/** The source file the compile info names. */
function sourceOf(chunks: Map<string, Uint8Array>): string | undefined {
  const info = listToArray(beamTerm(chunks, 'CInf') ?? atom('none')) ?? [];
  for (const t of info) if (t instanceof Tuple && t.size === 2 && t.elements[0] === A.source) return listToString(t.elements[1]);
  return undefined;
}

/** The source text at `path`: on the node of `from` (the sender) when it is another, else here. */
function* fetchSource(path: string, from: Pid | undefined): Generator<unknown, string | undefined, unknown> {
  if (from !== undefined && !node.isLocal(from) && netKernel.connection(from.node) !== undefined) {
    const r = yield* rpc(from.node, A.file, A.read_file, [charlist(path)]);
    if (r instanceof Tuple && r.size === 2 && r.elements[0] === A.ok && r.elements[1] instanceof Bin) return new TextDecoder().decode(r.elements[1].bytes);
    return undefined;
  }
  try {
    return yield* awaitPromise(readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Load a .beam's module from its debug-info forms: 'loaded', or the source file its compile info
 * names when it has no debug info (the caller fetches that), or 'bad' (not a .beam of `mod`, or
 * forms terl cannot compile: said in one report line).
 */
export function loadBeamForms(mod: Atom, file: string, bytes: Uint8Array): 'loaded' | 'bad' | { source: string | undefined } {
  let chunks: Map<string, Uint8Array>;
  try {
    chunks = beamChunks(bytes);
    if (beamModule(chunks) !== mod.name) return 'bad';
  } catch {
    return 'bad';
  }
  const forms = abstractCode(chunks);
  if (forms === undefined) return { source: sourceOf(chunks) };
  const r = language().loadForms(forms, file);
  if (r.ok && r.module === mod.name) return 'loaded';
  report(`terl could not compile the abstract code of ${mod.name} (${file})`);
  return 'bad';
}

/** The one line said when a .beam without debug info cannot be loaded from its source either. */
export function reportNoSource(mod: Atom, file: string, src: string | undefined, text: string | undefined): void {
  report(
    `terl cannot load ${mod.name}: ${file} has no debug_info and ${src === undefined ? 'names no source' : `its source ${src} ${text === undefined ? 'could not be read' : 'does not compile'}`}`,
  );
}

/** A module's source text sent as its object code (code:get_object_code/1 on a terl node, nl/1's payload). */
function isSourceText(bytes: Uint8Array): boolean {
  return !(bytes[0] === 0x46 && bytes[1] === 0x4f && bytes[2] === 0x52 && bytes[3] === 0x31); // "FOR1": a .beam
}

/** code:load_binary(Mod, File, Beam): {module, Mod} or {error, badfile}. */
function* loadBinary(mod: Atom, file: string, bin: Bin): Generator<unknown, Term, unknown> {
  const badfile = tuple(A.error, A.badfile);
  if (isSourceText(bin.bytes)) return loadSource(mod.name, file, new TextDecoder().decode(bin.bytes)) ? tuple(A.module, mod) : badfile;
  const r = loadBeamForms(mod, file, bin.bytes);
  if (r === 'loaded') return tuple(A.module, mod);
  if (r === 'bad') return badfile;
  const src = r.source;
  const text = src === undefined ? undefined : yield* fetchSource(src, (S.current as Process).groupLeader);
  if (src !== undefined && text !== undefined && loadSource(mod.name, src, text)) return tuple(A.module, mod);
  reportNoSource(mod, file, src, text);
  return badfile;
}

defineGenBif('code', 'load_binary', 3, function* (m: Term, f: Term, b: Term) {
  const file = listToString(f) ?? (f instanceof Atom ? f.name : undefined);
  if (!(m instanceof Atom) || file === undefined || !(b instanceof Bin) || !b.isBinary) throw errorIn(atom('function_clause'), 'code', 'load_binary', [m, f, b]);
  return yield* loadBinary(m, file, b);
});

/** A module's source, as terl's loader would find it: its absolute file name and text. */
export function objectCode(mod: string): { file: string; bytes: Uint8Array } | undefined {
  const local = findInLibrary(mod) ?? language().findSource(mod);
  if (local !== undefined) {
    try {
      return { file: local, bytes: new Uint8Array(readFileSync(local)) };
    } catch {
      return undefined;
    }
  }
  if (!usingInet()) return undefined;
  const got = fetchFirst(codePath().map((dir) => joinText(dir, `${mod}.erl`)));
  return got === undefined ? undefined : { file: onMaster(got.file), bytes: got.bytes };
}

defineGenBif('code', 'get_object_code', 1, function* (m: Term) {
  if (!(m instanceof Atom)) throw fnClause('code', 'get_object_code', [m], 251);
  const o = objectCode(m.name);
  return o === undefined ? A.error : tuple(m, new Bin(o.bytes), charlist(o.file));
});

// ---------- out: nl/1 and nc/1 ----------

/** Is `peer` a terl node? (terl's code loader is registered there) */
function* isTerl(peer: Atom): Generator<unknown, boolean, unknown> {
  const r = yield* rpc(peer, A.erlang, A.whereis, [TERL_CODE]);
  return r instanceof Pid;
}

/** Have a real node compile the module's forms with its own compiler and load it. */
function* loadOnBeam(peer: Atom, mod: Atom, file: string, forms: Term): Generator<unknown, void, unknown> {
  const c = yield* rpc(peer, A.compile, A.forms, [forms, list([A.binary, A.return_errors, A.debug_info])]);
  if (!(c instanceof Tuple) || c.size < 3 || c.elements[0] !== A.ok || !(c.elements[2] instanceof Bin)) {
    report(`** ${peer.name} could not compile ${mod.name}: ${c === undefined ? 'no answer' : 'compile:forms/2 failed'} **`);
    return;
  }
  const beam = c.elements[2];
  const l = yield* rpc(peer, A.code, A.load_binary, [mod, charlist(file), beam]);
  if (l instanceof Tuple && l.elements[0] === A.module) recordShipped(peer, mod, beam.bytes);
  else report(`** ${peer.name} could not load ${mod.name} **`);
}

/**
 * nl/1 (and nc/1, which compiled it here already): load module `mod` from `file` here and on every connected node: terl nodes get the source,
 * real nodes compile the forms. False when this node cannot compile it.
 */
export function* loadEverywhere(mod: Atom, file: string, source: string, loadHere = true): Generator<unknown, boolean, unknown> {
  if (loadHere && !loadSource(mod.name, file, source)) return false;
  let forms: Term | undefined;
  for (const peer of netKernel.nodes('visible')) {
    if (yield* isTerl(peer)) {
      node.send(tuple(TERL_CODE, peer), sourceMessage(mod, file, source));
      continue;
    }
    if (forms === undefined) {
      const f = language().moduleForms(file);
      if (!f.ok) return false;
      forms = f.forms;
    }
    yield* loadOnBeam(peer, mod, file, forms);
  }
  return true;
}

