// The `terl` command: parse erl's flags, start the node in a worker thread (a large stack, so deep body
// recursion works), and connect it to the terminal: the Ink UI when stdin and stdout are terminals,
// otherwise plain lines in and plain text out, as erl does with piped input.

import { Worker } from 'node:worker_threads';
import { createInterface } from 'node:readline';
import { parseFlags, FlagError, usage, type Flags } from './flags.js';
import { withEnvFlags } from './env_flags.js';
import type { FromNode, NodeLink, ToNode } from './bridge.js';
import { VERSION, banner } from './version.js';
import { clusterNodes, type ClusterNode } from './cluster.js';
import { names as epmdNames } from '../runtime/distribution/epmd_client.js';
import { servePortMapper } from './port_mapper.js';
import { BREAK_MENU, breakChoice, infoText, invalidOption, versionText } from '../shell/break_menu.js';

/** Stack for the node's thread: body recursion a million calls deep needs hundreds of megabytes. */
const STACK_MB = 1024;
/** A roomy young generation: processes and messages are short-lived garbage, and scavenges are cheap. */
const YOUNG_MB = 64;

interface NodeScreen {
  /** the node's terminal (the whole terminal, or its pane in the cluster window) */
  size?: { columns: number; rows: number };
  /** send the wire view's lines to the terminal (the cluster window's wire pane) */
  wire?: boolean;
  /** tell the terminal whom the node is connected to (the cluster window's glance pane) */
  glance?: boolean;
}

function startNode(flags: Flags, interactive: boolean, dumb = false, screen: NodeScreen = {}): { link: NodeLink; worker: Worker } {
  const shared = new SharedArrayBuffer(4);
  const interrupt = new Int32Array(shared);
  const size = screen.size ?? { columns: process.stdout.columns, rows: process.stdout.rows };
  const worker = new Worker(new URL('./node_worker_start.cjs', import.meta.url), {
    workerData: {
      flags,
      interactive,
      dumb,
      interrupt: shared,
      columns: interactive ? size.columns : undefined,
      rows: interactive ? size.rows : undefined,
      wire: screen.wire,
      glance: screen.glance,
    },
    resourceLimits: { stackSizeMb: STACK_MB, maxYoungGenerationSizeMb: YOUNG_MB },
    stdout: false,
    stderr: false,
  });
  const listeners: ((m: FromNode) => void)[] = [];
  worker.on('message', (m: FromNode) => {
    for (const l of listeners) l(m);
  });
  worker.on('error', (e) => {
    process.stderr.write(`terl: the node crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  });
  const link: NodeLink = {
    post: (msg) => worker.postMessage(msg),
    onMessage: (cb) => listeners.push(cb),
    interrupt,
  };
  servePortMapper(link);
  return { link, worker };
}

function halt(code: number): void {
  // let stdout and stderr drain before leaving, so piped output is never cut short
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0 && !s.destroyed);
  if (pending.length === 0) process.exit(code);
  let left = pending.length;
  for (const s of pending) s.once('drain', () => --left === 0 && process.exit(code));
}

/**
 * Text for a latin1 device, as erl treats piped stdio: characters up to 255 are one byte each
 * (so bytes typed come back as the same bytes); anything above, which erl would not print, as UTF-8.
 */
function latin1Bytes(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\xff]*$/.test(text)) return Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  for (const ch of text) parts.push(ch.codePointAt(0)! <= 0xff ? Buffer.from(ch, 'latin1') : Buffer.from(ch, 'utf8'));
  return Buffer.concat(parts);
}

/** Plain mode: lines from stdin, prompts and results to stdout, exactly as erl prints them. */
function runPlain(link: NodeLink, flags: Flags, encoding: 'latin1' | 'utf8' = 'latin1'): void {
  const bytes = (text: string) => (encoding === 'utf8' ? Buffer.from(text, 'utf8') : latin1Bytes(text));
  // a reader that goes away (`terl ... | head -1`): erl's user port closes and the node carries on
  // without it (an io call then fails with `terminated`), so output stops here, quietly
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    if (!stdoutClosed) link.post({ t: 'stdout_closed' });
    stdoutClosed = true;
  });
  const pending: (string | null)[] = [];
  let waiting = false;
  const give = () => {
    if (waiting && pending.length > 0) {
      waiting = false;
      link.post({ t: 'line', text: pending.shift()! });
    }
  };
  link.onMessage((m) => {
    switch (m.t) {
      case 'output':
        if (m.stderr) process.stderr.write(bytes(m.text));
        else if (!stdoutClosed) process.stdout.write(bytes(m.text));
        break;
      case 'get_line':
        if (m.prompt && !stdoutClosed) process.stdout.write(bytes(m.prompt));
        waiting = true;
        readInput(); // with -noshell, stdin is read once the node asks for a line (io:get_line)
        give();
        break;
      case 'halt':
        halt(m.code);
        break;
      case 'break_reply':
        process.stdout.write(m.text);
        break;
      default:
        break;
    }
  });
  // SIGINT: erl's BREAK menu, answered by the next line of input (its end aborts)
  let breakOpen = false;
  let rl: ReturnType<typeof createInterface> | undefined;
  const readInput = () => {
    if (rl !== undefined) return;
    // a piped stdin is a latin1 device to erl: each byte is one character (a dumb terminal's is UTF-8)
    process.stdin.setEncoding(encoding);
    rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    rl.on('line', (line) => {
      if (breakOpen) return breakAnswer(line);
      pending.push(line);
      give();
    });
    rl.on('close', () => {
      // the BREAK menu's input ending aborts; without it, the end of stdin is eof to the node's
      // io:get_line, and a -noshell node goes on (erl halts it only from the shell)
      if (breakOpen) return halt(0);
      pending.push(null);
      give();
    });
  };
  const breakAnswer = (line: string) => {
    const choice = breakChoice(line);
    switch (choice.kind) {
      case 'abort':
        return halt(0);
      case 'again':
        return;
      case 'invalid':
        process.stdout.write(invalidOption(choice.option) + BREAK_MENU);
        return;
      case 'info':
        process.stdout.write(infoText());
        break;
      case 'version':
        process.stdout.write(versionText(VERSION));
        break;
      case 'node':
        if (choice.what !== 'k') link.post({ t: 'break_info', what: choice.what });
        break;
      case 'continue':
        break;
    }
    breakOpen = false;
  };
  process.on('SIGINT', () => {
    process.stdout.write('\n' + BREAK_MENU);
    breakOpen = true;
    readInput();
  });
  if (!flags.noshell) readInput();
}

/**
 * Signals as erl takes them: SIGTERM stops the node (it logs `SIGTERM received - shutting down`
 * and exits 0), SIGQUIT halts at once with 0; SIGHUP ends the process, as it ends erl (once a
 * port mapper this process serves is handed over: src/port_mapper.ts).
 */
function onSignals(links: NodeLink[]): void {
  process.on('SIGTERM', () => {
    for (const link of links) link.post({ t: 'sigterm' });
  });
  process.on('SIGQUIT', () => process.exit(0));
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    const { argv, fromEnv } = withEnvFlags(process.argv.slice(2));
    flags = parseFlags(argv, fromEnv);
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(e.message + '\n');
      process.exit(2);
    }
    throw e;
  }
  if (flags.help) {
    process.stdout.write(usage());
    return;
  }
  if (flags.version) {
    process.stdout.write(`terl ${VERSION}\n`);
    return;
  }
  if (flags.cluster !== undefined || flags.tour) return runCluster(flags);
  const terminal = !flags.noshell && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // TERM=dumb: a terminal that cannot take cursor movement or colour, so no line editor drawing on
  // it; lines are read as the terminal's own (cooked) mode gives them, as erl does there
  const dumb = terminal && process.env.TERM === 'dumb';
  const interactive = terminal && !dumb;
  const { link } = startNode(flags, interactive, dumb);
  onSignals([link]);
  if (interactive) {
    const color = colour();
    await (await loadTui()).runTui(link, { banner: banner(), color });
  } else {
    runPlain(link, flags, dumb ? 'utf8' : 'latin1');
  }
}

type Tui = typeof import('../shell/tui.js');

/** The terminal UI, loaded only for a terminal (dist/tui.js: Ink and React load with it). */
async function loadTui(): Promise<Tui> {
  return (await import(new URL('./tui.js', import.meta.url).href)) as Tui;
}

/** Whether to colour, from the environment; once decided, NO_COLOR beside FORCE_COLOR would only make Node warn. */
function colour(): boolean {
  const color = colourWanted(process.env);
  if (process.env.FORCE_COLOR !== undefined) delete process.env.NO_COLOR;
  return color;
}

/**
 * --cluster and --tour: a window of panes, each a real node in its own worker; the window starts
 * them (one after the other, at its panes' sizes). It needs a terminal.
 */
async function runCluster(common: Flags): Promise<void> {
  let nodes: ClusterNode[];
  try {
    nodes = clusterNodes(common);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(e.message + '\n');
    process.exit(2);
  }
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true || process.env.TERM === 'dumb') {
    process.stderr.write('terl: --cluster and --tour need a terminal that can draw panes\n');
    process.exit(2);
  }
  const links: NodeLink[] = [];
  onSignals(links);
  const starts = nodes.map((n) => ({
    name: n.name,
    start: (size: { columns: number; rows: number }) => {
      const { link, worker } = startNode(n.flags, true, false, { size, wire: true, glance: true });
      links.push(link);
      return { link, stop: () => void worker.terminate() };
    },
  }));
  await (await loadTui()).runClusterTui(starts, { banner: banner(), color: colour(), tour: common.tour, portMapperNames });
}

/**
 * The names this host's port mapper lists, for the cluster window's glance pane: asked from the
 * main thread, so the nodes' wire views do not show the question each second; none when it does not answer.
 */
async function portMapperNames(): Promise<{ name: string; port: number }[]> {
  try {
    return (await epmdNames({ timeoutMs: 1000 })).nodes;
  } catch {
    return [];
  }
}

/**
 * Whether the terminal UI colours the prompt, results and errors: FORCE_COLOR decides when set
 * (0 or false: no colour, anything else: colour), then NO_COLOR (set and not empty: no colour).
 */
function colourWanted(env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  return !env.NO_COLOR;
}

void main();
