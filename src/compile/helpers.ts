// The one object generated code receives as `H`: term classes, operators, bit syntax, the VM's
// tail-call/receive primitives and the compiler's run-time support, under the names the code
// generator writes (module.ts destructures the hot ones into locals).

import * as term from '../../runtime/vm/term.js';
import * as ops from '../../runtime/vm/ops.js';
import * as bits from '../../runtime/vm/bitsyntax.js';
import * as abi from '../../runtime/vm/abi.js';
import * as support from './support.js';
import { callTracing } from '../../runtime/vm/call_trace.js';

export const H = Object.freeze({
  ...support,
  ...ops,
  Tuple: term.Tuple,
  List: term.List,
  NIL: term.NIL,
  ErlFloat: term.ErlFloat,
  Bin: term.Bin,
  ErlMap: term.ErlMap,
  Fun: term.Fun,
  Atom: term.Atom,
  TRUE: term.TRUE,
  FALSE: term.FALSE,
  atom: term.atom,
  list: term.list,
  exactEqual: term.exactEqual,
  TailCall: abi.TailCall,
  trampoline: abi.trampoline,
  wait: abi.wait,
  PREEMPT: abi.PREEMPT,
  BinBuilder: bits.BinBuilder,
  BinReader: bits.BinReader,
  callTracing,
});

/** The names generated code uses as plain locals (destructured from H once per module). */
export const PRELUDE_NAMES = [
  'Tuple',
  'List',
  'NIL',
  'ErlFloat',
  'Bin',
  'ErlMap',
  'Fun',
  'Atom',
  'TRUE',
  'FALSE',
  'atom',
  'list',
  'exactEqual',
  'TailCall',
  'trampoline',
  'wait',
  'PREEMPT',
  'BinBuilder',
  'BinReader',
  'add',
  'sub',
  'mul',
  'fdiv',
  'idiv',
  'rem',
  'neg',
  'pos',
  'band',
  'bor',
  'bxor',
  'bnot',
  'bsl',
  'bsr',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
  'exeq',
  'exne',
  'not',
  'and',
  'or',
  'xor',
  'append',
  'subtract',
];

/** `const {Tuple, ...} = H; const S = R.S, code = R.code;` */
export function prelude(): string {
  return `const { ${PRELUDE_NAMES.join(', ')} } = H;\nconst S = R.S, code = R.code, CT = H.callTracing;`;
}
