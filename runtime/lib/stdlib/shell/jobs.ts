// Shell jobs, as erl's user_drv keeps them behind Ctrl-G: job 1 is the shell started at boot (on
// `user`); `s` starts another local shell and `r [Node]` a remote one, each on a group I/O server
// of its own; `c [N]` connects the terminal to a job, `i [N]` interrupts its evaluation, `k [N]`
// kills it, `j` lists them. Only the connected job reads typed lines; a job's output waits while
// another is connected, and appears when it is connected again.

import { Atom, Pid, atom } from '../../../vm/term.js';
import { node } from '../../../vm/node.js';
import { exitSignal } from '../../../vm/signals.js';
import { startGroupServer } from '../../kernel/user.js';
import { ShellState } from './commands.js';
import { startShell, interruptEvaluator } from './eshell.js';
import type { Process } from '../../../vm/process.js';

/** What the jobs need of the terminal: its output, and a line read for a job when it is connected. */
export interface JobTerminal {
  write(text: string): void;
  readLine(job: number, prompt: string): Promise<string | null>;
  /** the terminal now reads for this job (a read it has waiting is asked again) */
  connect(job: number): void;
}

interface Job {
  id: number;
  /** how j lists it: {shell,start,[init]}, {shell,start,[]}, {Node,shell,start,[]} */
  label: string;
  state: ShellState;
  shell: Process | undefined;
  /** output written while another job was connected */
  held: string[];
}

export class Jobs {
  private readonly jobs = new Map<number, Job>();
  /** the job `c` connects to (j marks it with *) */
  current = 1;
  /** the job the terminal shows and reads for */
  connected = 1;
  private next = 1;

  constructor(
    private readonly term: JobTerminal,
    private readonly banner: string,
  ) {}

  /** Job 1: the shell on `user`, started at boot. */
  first(state: ShellState): void {
    const id = this.next++;
    this.jobs.set(id, { id, label: '{shell,start,[init]}', state, shell: startShell(state), held: [] });
    this.current = id;
    this.connected = id;
  }

  /** The shell state of the connected job (the interrupt flag interrupts its evaluation). */
  currentState(): ShellState | undefined {
    return this.jobs.get(this.connected)?.state;
  }

  /** Output of a job: shown when it is the connected one, held otherwise. */
  write(job: number, text: string): void {
    if (job === this.connected) this.term.write(text);
    else this.jobs.get(job)?.held.push(text);
  }

  /**
   * A Ctrl-G command the node carries out (c, i, k, j, s, r with their arguments): the text to show,
   * and whether the terminal goes back to a shell.
   */
  command(cmd: string, arg: string | undefined, template: ShellState): { text: string; connect: boolean } {
    const job = (): Job | undefined => this.jobs.get(arg === undefined ? this.current : Number(arg));
    switch (cmd) {
      case 'c': {
        const j = job();
        if (j === undefined) return { text: 'Unknown job\n', connect: false };
        this.current = this.connected = j.id;
        const held = j.held.splice(0).join('');
        if (held) this.term.write(held);
        this.term.connect(j.id);
        return { text: '', connect: true };
      }
      case 'i': {
        const j = job();
        if (j === undefined) return { text: 'Unknown job\n', connect: false };
        interruptEvaluator(j.state);
        return { text: '', connect: false };
      }
      case 'k': {
        const j = job();
        if (j === undefined) return { text: 'Unknown job\n', connect: false };
        if (j.shell?.alive) exitSignal(j.shell.pid, j.shell, atom('kill'), false);
        const ev = j.state.evaluator?.();
        const evp = ev && node.process(ev);
        if (evp) exitSignal(evp.pid, evp, atom('kill'), false);
        this.jobs.delete(j.id);
        if (this.current === j.id) this.current = Math.max(0, ...this.jobs.keys());
        return { text: '', connect: false };
      }
      case 'j': {
        let s = '';
        for (const j of [...this.jobs.values()].sort((a, b) => a.id - b.id)) s += `${String(j.id).padStart(4)}${j.id === this.current ? '*' : ' '} ${j.label}\n`;
        return { text: s, connect: false };
      }
      case 's':
        this.start(template, undefined);
        return { text: '', connect: false };
      case 'r': {
        if (arg === undefined && node.dist === undefined) return { text: 'Not alive\n', connect: false };
        this.start(template, atom(arg ?? node.name.name));
        return { text: '', connect: false };
      }
      default:
        return { text: 'Unknown command\n', connect: false };
    }
  }

  /** A new shell job on a group of its own; it becomes the job `c` connects to. */
  private start(template: ShellState, remote: Atom | undefined): void {
    const id = this.next++;
    const state = new ShellState();
    state.terminal = template.terminal;
    state.encoding = template.encoding;
    state.columns = template.columns;
    state.remote = remote;
    const group: Pid = startGroupServer({
      write: (text) => this.write(id, text),
      readLine: (prompt) => this.term.readLine(id, prompt),
      encoding: template.encoding,
      terminal: template.terminal,
    });
    const job: Job = { id, label: remote === undefined ? '{shell,start,[]}' : `{${remote.name},shell,start,[]}`, state, shell: undefined, held: [] };
    this.jobs.set(id, job);
    this.write(id, this.banner + '\n');
    job.shell = startShell(state, group);
    this.current = id;
  }
}
