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
import { exitSignal } from '../runtime/vm/signals.js';
import { netKernel, onDistributionStart } from '../runtime/distribution/net_kernel.js';
import { installLoader, setCodePath } from './loader.js';
import { installLanguage } from './language.js';
import { setBootArguments, stopWhenSettled } from '../runtime/lib/erts/init.js';
import { logText } from '../runtime/lib/kernel/error_logger.js';
import { legacyHeader } from '../runtime/lib/stdlib/format/report.js';
import { runBootCommands } from './boot.js';
import { startInetLoader } from '../runtime/lib/erts/erl_prim_loader.js';
import { interruptEvaluator } from '../runtime/lib/stdlib/shell/eshell.js';
import { Jobs } from '../runtime/lib/stdlib/shell/jobs.js';
import { allProcsText, dbTablesText, distributionText, killByText, killList, loadedText } from '../runtime/lib/erts/break_info.js';
import { ShellState } from '../runtime/lib/stdlib/shell/commands.js';
import { completionCandidates } from '../runtime/lib/stdlib/shell/complete_source.js';
import { banner } from './version.js';
import { tapWire } from '../runtime/distribution/wire_tap.js';
import { setPortMapperPlace } from '../runtime/distribution/epmd_host.js';
import { wireFilter, wireLine } from '../runtime/lib/stdlib/shell/wire.js';

interface WorkerInput {
  flags: Flags;
  interactive: boolean;
  /** a terminal with TERM=dumb: plain lines, but a terminal's unicode */
  dumb?: boolean;
  interrupt: SharedArrayBuffer;
  /** the terminal's width and height, when there is a terminal */
  columns?: number;
  rows?: number;
  /** the terminal shows this node's wire (the cluster window): every line but ticks, from boot on */
  wire?: boolean;
  /** the terminal shows the cluster at a glance (the cluster window): tell it whom this node is connected to */
  glance?: boolean;
}

const port = parentPort!;
const input = workerData as WorkerInput;
const flags = input.flags;

/** Everything the node says goes out in order: what is written is held a moment, and sent first. */
function post(msg: FromNode): void {
  flushOutput();
  port.postMessage(msg);
}

// Output is gathered and sent as one message when the scheduler next lets the thread breathe (or
// once there is a lot of it): a message per io:format would cost more than the formatting.
const OUTPUT_CHUNK = 1 << 16;
let heldOutput = '';
let flushQueued = false;

function flushOutput(): void {
  if (heldOutput === '') return;
  const text = heldOutput;
  heldOutput = '';
  port.postMessage({ t: 'output', text } satisfies FromNode);
}

// Typed lines go to the shell job the terminal is connected to (job 1 until Ctrl-G connects another).
const reads = new Map<number, { prompt: string; resolve: (line: string | null) => void }>();
const earlyLines: (string | null)[] = [];
let reading = 1;

function readLineFor(job: number, prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    if (job === reading && earlyLines.length > 0) {
      // plain mode answers get_line only, so this happens only in odd interleavings
      resolve(earlyLines.shift()!);
      return;
    }
    reads.set(job, { prompt, resolve });
    if (job === reading) post({ t: 'get_line', prompt });
  });
}

function readLine(prompt: string): Promise<string | null> {
  return readLineFor(1, prompt);
}

const shellState = new ShellState();
if (input.interactive) {
  shellState.terminal = true;
  shellState.encoding = 'unicode';
}
if (input.dumb) shellState.encoding = 'unicode';
if (input.columns) shellState.columns = input.columns;
// explanations under pang and {badrpc,...}: in the interactive shell only, so piped output stays erl's
shellState.explain = input.interactive && flags.explain;
shellState.note = (line) => post({ t: 'output', text: line + '\n', note: true });

port.on('message', (msg: ToNode) => {
  switch (msg.t) {
    case 'line': {
      const r = reads.get(reading);
      reads.delete(reading);
      if (r) r.resolve(msg.text);
      else earlyLines.push(msg.text);
      break;
    }
    case 'complete':
      post({ t: 'completion', id: msg.id, candidates: completionCandidates(msg.prefix, jobs.currentState() ?? shellState) });
      break;
    case 'break':
      if (msg.action === 'abort') post({ t: 'halt', code: 0 });
      else interruptCurrent();
      break;
    case 'break_info':
      post(breakReply(msg.what));
      break;
    case 'break_kill':
      killByText(msg.pid);
      break;
    case 'stdout_closed':
      stdoutClosed();
      break;
    case 'sigterm':
      // erl's erl_signal_handler: an info report, then init:stop()
      logText(legacyHeader('INFO REPORT') + '\nSIGTERM received - shutting down\n\n');
      stopWhenSettled(0);
      break;
    case 'switch': {
      const r = jobs.command(msg.cmd, msg.arg, shellState);
      post({ t: 'switch_reply', text: r.text, connect: r.connect });
      break;
    }
    case 'port_mapper_served':
      portMapperAnswers.get(msg.id)?.(msg.error);
      portMapperAnswers.delete(msg.id);
      break;
  }
});

// A port mapper this node needs and finds nowhere is served by the main thread, which answers
// promptly however busy this thread is, and which hands it over when the process leaves.
const portMapperAnswers = new Map<number, (error: string | undefined) => void>();
let portMapperAsks = 0;
setPortMapperPlace({
  serve: (_env, leaving) =>
    new Promise((resolve, reject) => {
      const id = ++portMapperAsks;
      portMapperAnswers.set(id, (error) => (error === undefined ? resolve() : reject(new Error(error))));
      post({ t: 'port_mapper', id, last: leaving?.last });
    }),
  registered: (localPort) => post({ t: 'port_mapper_own', localPort }),
});

/** The terminal's reader went away: `user` terminates, and io calls to it fail as in erl. */
function stdoutClosed(): void {
  const user = node.whereis(atom('user'));
  if (user !== undefined) exitSignal(user.pid, user, atom('terminated'), false);
}

function interruptCurrent(): void {
  const st = jobs.currentState();
  if (st !== undefined) interruptEvaluator(st);
}

/** The BREAK menu's (p), (l), (D), (d) texts, and (k)ill's list of processes. */
function breakReply(what: 'p' | 'l' | 'D' | 'd' | 'k'): FromNode {
  switch (what) {
    case 'p':
      return { t: 'break_reply', text: allProcsText() };
    case 'l':
      return { t: 'break_reply', text: loadedText() };
    case 'D':
      return { t: 'break_reply', text: dbTablesText() };
    case 'd':
      return { t: 'break_reply', text: distributionText() };
    case 'k':
      return { t: 'break_reply', text: '', procs: killList() };
  }
}

const jobs = new Jobs(
  {
    write: (text) => write(text),
    readLine: readLineFor,
    connect(job) {
      reading = job;
      const r = reads.get(job);
      if (r) post({ t: 'get_line', prompt: r.prompt });
    },
  },
  banner(),
);

function write(text: string): void {
  heldOutput += text;
  if (heldOutput.length >= OUTPUT_CHUNK) flushOutput();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      flushOutput();
    });
  }
}

function writeError(text: string): void {
  post({ t: 'output', text, stderr: true });
}

node.onHalt = (status) => {
  post({ t: 'halt', code: typeof status === 'number' ? status : 1 });
};
setFallbackSink(write);
setInterrupt(new Int32Array(input.interrupt), INTERRUPT_FLAG, interruptCurrent);
if (flags.busyWaitMs !== undefined) setBusyWait(flags.busyWaitMs);
if (flags.processLimit !== undefined) node.setProcessLimit(flags.processLimit);
setCodePath(flags.pa, flags.pz);
setBootArguments(flags);
installLoader();
installLanguage();
setSourceLoader(loadSourceText);
setEvalFunMaker(makeEvalFun);
// on before distribution starts, so the port mapper registration is the first line
if (input.wire) {
  const all = wireFilter(undefined)!;
  tapWire((e) => {
    // the port mapper registration comes before the node has its name: the name it is taking
    const me = node.name === atom('nonode@nohost') ? (flags.sname ?? flags.name ?? node.name.name) : node.name.name;
    const line = wireLine(e, all, me);
    if (line !== undefined) post({ t: 'wire', line });
  });
}

// the glance pane's news: once distributed, and whenever a connection comes up or goes down
if (input.glance) {
  const tell = () => post({ t: 'glance', node: node.name.name, port: netKernel.listenPort, links: netKernel.nodes('connected').map((n) => n.name) });
  onDistributionStart(tell);
  netKernel.onNode(tell);
}

async function boot(): Promise<void> {
  // -loader inet: erl's prim loader finds its boot server before anything else runs
  if (flags.loader === 'inet') await startInetLoader(flags.hosts, write);
  // init first (<0.0.0>); distribution's processes then take numbers among erl's kernel processes
  startInit();
  node.setNextPidNumber(50);
  // -sname/-name: the node gets its name before its first processes, as erl's kernel starts net_kernel
  if (!(await startDistributionFromFlags(flags, write, writeError))) return;
  // standard_error is the process's stderr, as erl's; io:columns/rows answer on a terminal only.
  // erl's user is latin1 when it has no terminal (piped, or -noshell): \x{416} for a character above 255
  const encoding = input.interactive || input.dumb ? 'unicode' : 'latin1';
  startUserServer(
    { write, readLine, columns: () => input.columns, rows: () => input.rows, terminal: input.interactive, encoding },
    { write: writeError, columns: () => input.columns, rows: () => input.rows },
  );
  await runBootCommands(flags, write, writeError);
  if (!flags.noshell) {
    if (flags.remsh !== undefined) {
      shellState.remote = atom(remoteName(flags.remsh));
      // erl 25's remote shell dies when its node cannot be reached, and user_drv says so; the
      // terminal then waits for Ctrl-G (s starts a local shell, q quits); piped, there is nothing to wait for
      if (!(await netKernel.connect(shellState.remote))) {
        write('\n*** ERROR: Shell process terminated! (^G to start new job) ***\n');
        if (!input.interactive) post({ t: 'halt', code: 1 });
        return;
      }
    }
    if (!input.interactive) write(banner() + '\n');
    jobs.first(shellState);
  }
}

/** -remsh Name: a bare name is on this host, as erl completes it. */
function remoteName(name: string): string {
  if (name.includes('@')) return name;
  const host = node.name.name.split('@')[1];
  return host ? `${name}@${host}` : name;
}

void boot();
