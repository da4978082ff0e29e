// The node, in its worker thread: boots the runtime, connects the `user` io server to the main
// thread (output out, typed lines in), installs the code loader, then starts the shell or runs
// -eval / -s / -run as erl does.

import { parentPort, workerData } from 'node:worker_threads';
import type { FromNode, ToNode } from './bridge.js';
import { INTERRUPT_FLAG } from './bridge.js';
import type { Flags } from './flags.js';
import { node } from '../runtime/vm/node.js';
import { setBusyWait, setInterrupt } from '../runtime/vm/scheduler.js';
import { startInit, startUserServer } from '../runtime/lib/kernel/user.js';
import { setFallbackSink } from '../runtime/lib/kernel/error_logger.js';
import '../runtime/lib/index.js';
import { startDistributionFromFlags } from '../runtime/lib/kernel/dist_start.js';
import { setSourceLoader } from '../runtime/lib/kernel/code_loading.js';
import { loadSourceText } from './load_source.js';
import { setEvalFunMaker } from '../runtime/vm/funs.js';
import { makeEvalFun } from './eval_fun.js';
import './erl_eval.js';
import { atom } from '../runtime/vm/term.js';
import { installLoader, setCodePath } from './loader.js';
import { installLanguage } from './language.js';
import { setBootArguments } from '../runtime/lib/erts/init.js';
import { runBootCommands } from './boot.js';
import { startShell, interruptEvaluator } from '../runtime/lib/stdlib/shell/eshell.js';
import { ShellState } from '../runtime/lib/stdlib/shell/commands.js';
import { completionCandidates } from '../runtime/lib/stdlib/shell/complete_source.js';
import { banner } from './version.js';

interface WorkerInput {
  flags: Flags;
  interactive: boolean;
  interrupt: SharedArrayBuffer;
  /** the terminal's width and height, when there is a terminal */
  columns?: number;
  rows?: number;
}

const port = parentPort!;
const input = workerData as WorkerInput;
const flags = input.flags;

function post(msg: FromNode): void {
  port.postMessage(msg);
}

// Typed lines wait here until the shell asks for one.
let lineWaiter: ((line: string | null) => void) | undefined;
const earlyLines: (string | null)[] = [];

function readLine(prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    if (earlyLines.length > 0) {
      // plain mode answers get_line only, so this happens only in odd interleavings
      resolve(earlyLines.shift()!);
      return;
    }
    lineWaiter = resolve;
    post({ t: 'get_line', prompt });
  });
}

const shellState = new ShellState();
if (input.interactive) {
  shellState.terminal = true;
  shellState.encoding = 'unicode';
}
if (input.columns) shellState.columns = input.columns;

port.on('message', (msg: ToNode) => {
  switch (msg.t) {
    case 'line': {
      const w = lineWaiter;
      lineWaiter = undefined;
      if (w) w(msg.text);
      else earlyLines.push(msg.text);
      break;
    }
    case 'complete':
      post({ t: 'completion', id: msg.id, candidates: completionCandidates(msg.prefix, shellState) });
      break;
    case 'break':
      if (msg.action === 'abort') post({ t: 'halt', code: 0 });
      else interruptEvaluator(shellState);
      break;
  }
});

function write(text: string): void {
  post({ t: 'output', text });
}

function writeError(text: string): void {
  post({ t: 'output', text, stderr: true });
}

node.onHalt = (status) => {
  post({ t: 'halt', code: typeof status === 'number' ? status : 1 });
};
setFallbackSink(write);
setInterrupt(new Int32Array(input.interrupt), INTERRUPT_FLAG, () => interruptEvaluator(shellState));
if (flags.busyWaitMs !== undefined) setBusyWait(flags.busyWaitMs);
setCodePath(flags.pa, flags.pz);
setBootArguments(flags);
installLoader();
installLanguage();
setSourceLoader(loadSourceText);
setEvalFunMaker(makeEvalFun);

async function boot(): Promise<void> {
  // init first (<0.0.0>); distribution's processes then take numbers among erl's kernel processes
  startInit();
  node.setNextPidNumber(50);
  // -sname/-name: the node gets its name before its first processes, as erl's kernel starts net_kernel
  if (!(await startDistributionFromFlags(flags, write, writeError))) return;
  // standard_error is the process's stderr, as erl's; io:columns/rows answer on a terminal only
  startUserServer(
    { write, readLine, columns: () => input.columns, rows: () => input.rows },
    { write: writeError, columns: () => input.columns, rows: () => input.rows },
  );
  await runBootCommands(flags, write, writeError);
  if (!flags.noshell) {
    if (!input.interactive) write(banner() + '\n');
    if (flags.remsh !== undefined) shellState.remote = atom(remoteName(flags.remsh));
    startShell(shellState);
  }
}

/** -remsh Name: a bare name is on this host, as erl completes it. */
function remoteName(name: string): string {
  if (name.includes('@')) return name;
  const host = node.name.name.split('@')[1];
  return host ? `${name}@${host}` : name;
}

void boot();
