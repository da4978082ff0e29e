// erlang:system_info/1 and the release numbers it reports (OTP 25, erts 13.1.5).

import { availableParallelism } from 'node:os';
import { Atom, ErlMap, NIL, Tuple, atom, atomCount, normInt, tuple, TRUE, FALSE } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { str } from '../common.js';
import { bif, fail } from './bif.js';
import { MONO_OFFSET } from './time.js';
import { seqTracing } from '../../vm/seq_trace.js';

// ---------- system_info ----------

export const OTP_RELEASE = '25';
export const ERTS_VERSION = '13.1.5';

bif('system_info', 1, (item) => {
  const name = item instanceof Atom ? item.name : undefined;
  switch (name) {
    case 'sequential_tracer':
      return tuple(item, seqTracing.tracer ?? FALSE);
    case 'otp_release':
      return str(OTP_RELEASE);
    case 'version':
      return str(ERTS_VERSION);
    case 'system_version':
      return str(`Erlang/OTP ${OTP_RELEASE} [erts-${ERTS_VERSION}] [source] [64-bit] [smp:1:1] [ds:1:1:10] [async-threads:1]\n`);
    case 'machine':
      return str('BEAM');
    case 'wordsize':
      return 8;
    case 'schedulers':
    case 'schedulers_online':
    case 'dirty_cpu_schedulers':
    case 'dirty_cpu_schedulers_online':
      return 1;
    case 'logical_processors':
    case 'logical_processors_available':
    case 'logical_processors_online':
      // the machine's; terl itself runs its processes on one scheduler thread
      return availableParallelism();
    case 'process_count':
      return node.processCount();
    case 'atom_count':
      return atomCount();
    case 'port_count':
      // terl opens no ports
      return 0;
    case 'smp_support':
    case 'threads':
      return TRUE;
    case 'thread_pool_size':
      return 1;
    case 'atom_limit':
      return 1048576;
    case 'process_limit':
      return node.processLimit;
    case 'port_limit':
      return 65536;
    case 'ets_limit':
      return 8192;
    case 'max_heap_size':
      return ErlMap.from([
        [atom('error_logger'), TRUE],
        [atom('kill'), TRUE],
        [atom('size'), 0],
      ]);
    case 'endian':
      return atom('little');
    case 'debug_compiled':
    case 'kernel_poll':
      return FALSE;
    case 'emu_type':
      return atom('opt');
    case 'emu_flavor':
      return atom('jit');
    case 'build_type':
      return atom('opt');
    case 'os_type':
      return tuple(atom('unix'), atom(process.platform === 'darwin' ? 'darwin' : 'linux'));
    case 'creation':
      // the node's creation (what its pids carry); 0 while not distributed
      return node.creation;
    case 'start_time':
      return normInt(-MONO_OFFSET);
    case 'time_correction':
      return TRUE;
    case 'time_warp_mode':
      return atom('no_time_warp');
    case 'os_monotonic_time_source':
    case 'os_system_time_source':
      return NIL;
    case 'compat_rel':
      return 25;
    default:
      if (item instanceof Tuple && item.elements.length === 2 && item.elements[0] === atom('wordsize')) return 8;
      throw fail('system_info', [item], { 1: 'invalid system info item' });
  }
});
