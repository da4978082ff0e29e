// A distributed node with global groups configured (-kernel global_groups ..., or a -config file)
// runs its global_group server from the start, so other nodes' searches and syncs find it, as
// erl's kernel starts it at boot. Without groups it starts on first use (global_group.erl).

import { atom } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { TailCall, trampoline } from '../../vm/abi.js';
import { bootConfigFiles, kernelParameter } from '../erts/init.js';

export function startGlobalGroup(): void {
  if (kernelParameter('global_groups') === undefined && bootConfigFiles().length === 0) return;
  node.spawn(function* () {
    const r = yield* codeServer.fn(atom('global_group'), atom('start'), 0)();
    return r instanceof TailCall ? yield* trampoline(r) : r;
  }, []);
}
