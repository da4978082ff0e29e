// nl(Mod) across terl nodes. terl's object code is the module's source, so what goes to the other
// nodes is the source text: a terl-only registered process, `terl_code`, compiles and loads what
// it receives, as code:load_binary/3 would load a .beam. OTP nodes have no such process, and a
// message to a name that is not registered is dropped, so they are left alone.
//
// The compiler lives above the runtime (src/), so whoever boots the node hands in the function that
// compiles and loads source text (setSourceLoader).

import { Atom, Bin, Term, Tuple, atom, binaryFromString, charlist, listToString, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { receiveAny } from '../../vm/receive.js';
import { netKernel } from '../../distribution/net_kernel.js';

/** Compile and load `source` as module `module` (from `file`); true when it loaded. */
export type SourceLoader = (module: string, file: string, source: string) => boolean;

let sourceLoader: SourceLoader | undefined;

export function setSourceLoader(loader: SourceLoader | undefined): void {
  sourceLoader = loader;
}

const TERL_CODE = atom('terl_code');
const LOAD_SOURCE = atom('load_source');

function loadMessage(m: Term): void {
  if (!(m instanceof Tuple) || m.size !== 4 || m.elements[0] !== LOAD_SOURCE) return;
  const [, mod, file, text] = m.elements;
  const fileName = listToString(file);
  if (!(mod instanceof Atom) || fileName === undefined || !(text instanceof Bin) || !text.isBinary) return;
  sourceLoader?.(mod.name, fileName, new TextDecoder().decode(text.bytes));
}

export function startCodeProcess(): void {
  if (node.whereis(TERL_CODE) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) loadMessage(yield* receiveAny());
  }, []);
  node.register(TERL_CODE, p);
}


/**
 * Load module `module` from `source` here and on every connected node (c:nl/1). Returns false when
 * this node cannot compile it.
 */
export function loadEverywhere(module: Atom, file: string, source: string): boolean {
  if (sourceLoader === undefined || !sourceLoader(module.name, file, source)) return false;
  const msg = tuple(LOAD_SOURCE, module, charlist(file), binaryFromString(source));
  for (const n of netKernel.nodes('connected')) node.send(tuple(TERL_CODE, n), msg);
  return true;
}
