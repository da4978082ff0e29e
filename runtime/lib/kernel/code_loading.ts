// nl(Mod) across terl nodes. terl's object code is the module's source, so what goes to the other
// terl nodes is the source text: a terl-only registered process, `terl_code`, compiles and loads
// what it receives, as code:load_binary/3 would load a .beam (real nodes: code_binary.ts).
//
// The compiler lives above the runtime (src/), so whoever boots the node hands in the function that
// compiles and loads source text (setSourceLoader).

import { Atom, Bin, Term, Tuple, atom, binaryFromString, charlist, listToString, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { receiveAny } from '../../vm/receive.js';

/** Compile and load `source` as module `module` (from `file`); true when it loaded. */
export type SourceLoader = (module: string, file: string, source: string) => boolean;

let sourceLoader: SourceLoader | undefined;

export function setSourceLoader(loader: SourceLoader | undefined): void {
  sourceLoader = loader;
}

export const TERL_CODE = atom('terl_code');
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

/** Compile and load source text here; false when it does not compile. */
export function loadSource(module: string, file: string, source: string): boolean {
  return sourceLoader?.(module, file, source) ?? false;
}

/** What terl_code on another terl node loads. */
export function sourceMessage(module: Atom, file: string, source: string): Term {
  return tuple(LOAD_SOURCE, module, charlist(file), binaryFromString(source));
}
