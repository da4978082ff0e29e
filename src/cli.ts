// The `terl` command: parse erl's flags, start the node in a worker thread (a large stack, so deep body
// recursion works), and connect it to the terminal: the Ink UI when stdin and stdout are terminals,
// otherwise plain lines in and plain text out, as erl does with piped input.

import { Worker } from 'node:worker_threads';
import { createInterface } from 'node:readline';
import { parseFlags, FlagError, usage, type Flags } from './flags.js';
import type { FromNode, NodeLink, ToNode } from './bridge.js';
import { VERSION, banner } from './version.js';

/** Stack for the node's thread: body recursion a million calls deep needs hundreds of megabytes. */
const STACK_MB = 1024;
/** A roomy young generation: processes and messages are short-lived garbage, and scavenges are cheap. */
const YOUNG_MB = 64;

function startNode(flags: Flags, interactive: boolean): { link: NodeLink; worker: Worker } {
  const shared = new SharedArrayBuffer(4);
  const interrupt = new Int32Array(shared);
  const worker = new Worker(new URL('./node_worker.js', import.meta.url), {
    workerData: { flags, interactive, interrupt: shared, columns: interactive ? process.stdout.columns : undefined, rows: interactive ? process.stdout.rows : undefined },
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
  return { link, worker };
}

function halt(code: number): void {
  // let stdout and stderr drain before leaving, so piped output is never cut short
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0);
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
function runPlain(link: NodeLink, flags: Flags): void {
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
        (m.stderr ? process.stderr : process.stdout).write(latin1Bytes(m.text));
        break;
      case 'get_line':
        if (m.prompt) process.stdout.write(latin1Bytes(m.prompt));
        waiting = true;
        give();
        break;
      case 'halt':
        halt(m.code);
        break;
      case 'completion':
        break;
    }
  });
  if (flags.noshell) return; // erl -noshell does not read stdin
  // a piped stdin is a latin1 device to erl: each byte is one character
  process.stdin.setEncoding('latin1');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  rl.on('line', (line) => {
    pending.push(line);
    give();
  });
  rl.on('close', () => {
    pending.push(null);
    give();
  });
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
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
  const interactive = !flags.noshell && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const { link } = startNode(flags, interactive);
  if (interactive) {
    const tui = (await import(new URL('./tui.js', import.meta.url).href)) as {
      runTui(node: NodeLink, opts: { banner: string; color: boolean }): Promise<void>;
    };
    await tui.runTui(link, { banner: banner(), color: !process.env.NO_COLOR });
  } else {
    runPlain(link, flags);
  }
}

void main();
