// The library: importing this module installs every module terl has in TypeScript into the BIF
// registry (runtime/vm/bif_registry.ts: importing a module's file defines its functions, and a
// second definition of one is refused), and the library's hooks into the VM and the distribution.
// Boot (src/node_worker.ts) and the tests' harnesses import it. Modules OTP writes in Erlang are
// runtime/lib/<app>/<mod>.erl instead, found by runtime/vm/code_path.ts findInLibrary on first call (compiled by the build into dist/lib).

// the VM's exit signals (the scheduler's exit handler, alias sends)
import '../vm/signals.js';

// erts: the erlang module, a file per concern, and init
import './erts/processes.js';
import './erts/types.js';
import './erts/numbers.js';
import './erts/terms.js';
import './erts/exceptions.js';
import './erts/time.js';
import './erts/system_info.js';
import './erts/memory.js';
import './erts/code.js';
import './erts/etf.js';
import './erts/nodes.js';
import './erts/init.js';
import './erts/ports.js';
import './erts/zlib.js';
import './erts/fun_info.js';
import './erts/erlang_phash.js';
import './erts/persistent_term.js';
import './erts/counters.js';
import './erts/atomics.js';
import './erts/trace.js';
import './erts/erl_prim_loader.js';
import './erts/trace_pattern.js';
import './erts/seq_trace.js';

// kernel
import './kernel/os.js';
import './kernel/file.js';
import './kernel/file_write_info.js';
import './kernel/file_links.js';
import './kernel/file_script.js';
import './kernel/file_copy.js';
import './kernel/code.js';
import './kernel/rpc.js';
import './kernel/net_adm.js';
import './kernel/net_kernel.js';
import './kernel/global.js';
import './kernel/gen_tcp.js';
import './kernel/gen_udp.js';
import './kernel/inet.js';
import './kernel/os_cmd.js';
import './kernel/logger_config.js';
import './kernel/global_locks.js';
import './kernel/code_binary.js';
import './kernel/terl_config.js';

// stdlib
import './stdlib/io.js';
import './stdlib/lists.js';
import './stdlib/maps.js';
import './stdlib/string.js';
import './stdlib/math.js';
import './stdlib/unicode.js';
import './stdlib/unicode_norm.js';
import './stdlib/filename_basedir.js';
import './stdlib/binary.js';
import './stdlib/io_lib.js';
import './stdlib/erl_scan.js';
import './stdlib/erl_parse.js';
import './stdlib/erl_pp.js';
import './stdlib/calendar.js';
import './stdlib/erl_posix_msg.js';
import './stdlib/filename.js';
import './stdlib/re.js';
import './stdlib/erl_error.js';
import './stdlib/ets.js';
import './stdlib/ets_select.js';
import './stdlib/ets_fun2ms.js';
import './runtime_tools/dbg_fun2ms.js';

// crypto
import './crypto/crypto.js';

// compiler
import './compiler/compile.js';

// lib_chan
import './lib_chan/api.js';

import { setLogger } from '../vm/logger.js';
import { setFunResolver } from '../vm/etf.js';
import { peerFunResolver } from './kernel/peer_funs.js';
import { onDistributionStart } from '../distribution/net_kernel.js';
import { errorLogger, startLoggerProxy } from './kernel/error_logger.js';
import { startNetKernelProcess } from './kernel/net_kernel.js';
import { startGlobal } from './kernel/global.js';
import { startRex } from './kernel/rex.js';
import { startCodeProcess } from './kernel/code_loading.js';
import { startGlobalGroup } from './kernel/global_group_start.js';

// funs that come in external terms get their code back, as BEAM finds a fun's code (a real
// node's funs by the names its fun table gives them)
setFunResolver(peerFunResolver);

// crash reports and distribution's reports, as OTP's logger prints them
setLogger(errorLogger);

// the processes a distributed node starts, in this order (their pids follow erl's kernel's)
onDistributionStart(startLoggerProxy);
onDistributionStart(startNetKernelProcess);
onDistributionStart(startGlobal);
onDistributionStart(startRex);
onDistributionStart(startCodeProcess);
onDistributionStart(startGlobalGroup);
