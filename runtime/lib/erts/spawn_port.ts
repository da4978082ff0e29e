// A port running an external program (open_port({spawn, Cmd} | {spawn_executable, File}, Opts)):
// what the owner sends goes to the program's standard input, what the program writes comes back as
// {Port, {data, Data}}; with exit_status the owner also gets {Port, {exit_status, Status}}.
//
// As erl's spawn driver: {spawn, Cmd} runs `exec Cmd` under /bin/sh; the port closes when the
// program's output ends (after its exit status, when asked for); closing the port closes the pipes
// and leaves the program to end by itself (it sees end of input).

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { Bin, Term, atom, tuple } from '../../vm/term.js';
import type { Process } from '../../vm/process.js';
import { runQueued } from '../../vm/scheduler.js';
import { intList } from '../common.js';
import { ErtsPort } from '../../vm/port_table.js';
import { ByteQueue, framePacket, nextPacket } from './packet.js';

const DATA = atom('data');
const EOL = atom('eol');
const NOEOL = atom('noeol');
const EOF = atom('eof');
const EXIT_STATUS = atom('exit_status');
const NORMAL = atom('normal');

/** What open_port's options ask of a program port. */
export interface SpawnOptions {
  /** {packet, N}: 0 for a stream */
  packet: 0 | 1 | 2 | 4;
  /** {line, L}: the longest line in one message */
  line: number | undefined;
  binary: boolean;
  exitStatus: boolean;
  useStdio: boolean;
  stderrToStdout: boolean;
  /** `in` / `out`: the port only reads, or only writes */
  input: boolean;
  output: boolean;
  /** eof: tell the owner {Port, eof} at the end of output and stay open */
  eof: boolean;
  cd: string | undefined;
  env: [string, string | false][];
  args: string[] | undefined;
  arg0: string | undefined;
}

export const DEFAULT_SPAWN_OPTIONS: SpawnOptions = {
  packet: 0,
  line: undefined,
  binary: false,
  exitStatus: false,
  useStdio: true,
  stderrToStdout: false,
  input: true,
  output: true,
  eof: false,
  cd: undefined,
  env: [],
  args: undefined,
  arg0: undefined,
};

/** What to start: a command line for the shell, or an executable and its arguments. */
export type Program = { command: string } | { file: string };

export class SpawnPort extends ErtsPort {
  private readonly child: ChildProcess;
  private readonly toChild: Writable | null;
  private readonly fromChild: Readable | null;
  private readonly queue = new ByteQueue();
  private outputEnded = false;
  private status: number | undefined;

  constructor(
    owner: Process,
    private readonly portName: string,
    program: Program,
    private readonly o: SpawnOptions,
  ) {
    super(owner);
    const env = { ...process.env };
    for (const [k, v] of o.env) {
      if (v === false) delete env[k];
      else env[k] = v;
    }
    let file: string;
    let args: string[];
    if ('command' in program) {
      file = '/bin/sh';
      args = ['-c', (o.stderrToStdout ? 'exec 2>&1\n' : '') + 'exec ' + program.command];
    } else if (o.stderrToStdout) {
      // only a shell can point the program's stderr at the same pipe before it starts
      file = '/bin/sh';
      args = ['-c', 'exec 2>&1\nexec "$0" "$@"', program.file, ...(o.args ?? [])];
    } else {
      file = program.file;
      args = o.args ?? [];
    }
    // (`in` and `out` ports still have both pipes, as erl's: the unused one is never written or read)
    const stdio = o.useStdio ? ['pipe', 'pipe', 'inherit'] : ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'];
    this.child = spawn(file, args, {
      cwd: o.cd,
      env,
      stdio: stdio as ('pipe' | 'ignore' | 'inherit')[],
      // the shell runs as `sh`, as erl starts it (its messages say "sh: ...")
      argv0: 'command' in program || o.stderrToStdout ? 'sh' : (o.arg0 ?? program.file),
    });
    const streams = this.child.stdio;
    this.toChild = (o.useStdio ? streams[0] : streams[3]) as Writable | null;
    this.fromChild = (o.useStdio ? streams[1] : streams[4]) as Readable | null;
    // a program gone before reading what it was sent: the bytes are lost, as with a closed pipe
    this.toChild?.on('error', () => this.toChild?.destroy());
    if (this.fromChild !== null) {
      this.fromChild.on('data', (chunk: Buffer) => this.received(chunk));
      this.fromChild.on('end', () => this.outputEnd());
      this.fromChild.on('error', () => this.outputEnd());
    }
    this.child.on('exit', (code, signal) => this.exited(code, signal));
    this.child.on('error', () => this.exited(null, null));
  }

  get name(): string {
    return this.portName;
  }

  override get osPid(): number | undefined {
    return this.child.pid;
  }

  protected command(data: Uint8Array): void {
    if (!this.o.output) return;
    const w = this.toChild;
    if (w === null || w.destroyed) return;
    const bytes = this.o.packet === 0 ? data : framePacket(this.o.packet, data);
    if (bytes !== undefined) w.write(bytes);
  }

  protected release(): void {
    this.toChild?.destroy();
    this.fromChild?.destroy();
    this.child.unref();
  }

  // ----- what the program writes -----

  private received(chunk: Buffer): void {
    if (!this.open || !this.o.input) return;
    this.input += chunk.length;
    this.queue.push(chunk);
    this.deliverPackets(false);
    runQueued();
  }

  private deliverPackets(atEnd: boolean): void {
    const q = this.queue;
    if (this.o.line !== undefined) {
      const max = this.o.line;
      while (q.length > 0) {
        const nl = q.indexOf(10, max + 1);
        if (nl >= 0 && nl <= max) {
          const line = q.take(nl);
          q.take(1);
          this.data(tuple(EOL, this.bytes(line)));
        } else if (q.length > max) {
          this.data(tuple(NOEOL, this.bytes(q.take(max))));
        } else if (atEnd) {
          this.data(tuple(NOEOL, this.bytes(q.takeAll())));
        } else break;
      }
      return;
    }
    const type = this.o.packet === 0 ? 'raw' : this.o.packet;
    for (;;) {
      const p = nextPacket(q, { type, maxSize: 0, delimiter: 10, lineMax: 0 });
      if (p === undefined) break;
      this.data(this.bytes(p));
    }
  }

  private bytes(b: Uint8Array): Term {
    return this.o.binary ? new Bin(b) : intList(b);
  }

  private data(d: Term): void {
    this.tell(tuple(this.term, tuple(DATA, d)));
  }

  private outputEnd(): void {
    if (this.outputEnded) return;
    this.outputEnded = true;
    if (!this.open) return;
    this.deliverPackets(true);
    if (this.o.eof) this.tell(tuple(this.term, EOF));
    this.maybeDone();
    runQueued();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.status !== undefined) return;
    this.status = code ?? (signal !== null ? 128 + signalNumber(signal) : 255);
    if (!this.open) return;
    this.maybeDone();
    runQueued();
  }

  /**
   * The output has ended: the port closes (after the exit status, when asked for). With `eof` the
   * port stays open and only the exit status is told.
   */
  private maybeDone(): void {
    if (!this.open || !this.outputEnded) return;
    if (this.o.exitStatus) {
      if (this.status === undefined) return;
      this.tell(tuple(this.term, tuple(EXIT_STATUS, this.status)));
      if (this.o.eof) return;
    } else if (this.o.eof) return;
    this.exit(NORMAL);
  }
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

function signalNumber(s: NodeJS.Signals): number {
  return SIGNALS[s] ?? 0;
}
