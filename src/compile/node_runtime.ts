// The CompileRuntime of this node: its scheduler state, code server and send. Compiled code
// closes over these unless a caller (a test, say) hands in its own.

import { S } from '../../runtime/vm/scheduler.js';
import { codeServer } from '../../runtime/vm/code_server.js';
import { send, sendOp } from '../../runtime/vm/node.js';
import type { CompileRuntime } from './support.js';

/** Module code sends with send/2; shell code with erlang:'!' (so a bad destination blames `!/2`, as erl_eval does). */
export function nodeRuntime(shell: boolean, over: Partial<CompileRuntime> = {}): CompileRuntime {
  return { S, code: codeServer, send: shell ? sendOp : send, ...over };
}
