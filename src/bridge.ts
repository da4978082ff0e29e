// Messages between the main thread (terminal: plain lines or the Ink UI) and the node's worker thread.
// The node owns all Erlang state; the main thread only shows text and hands over typed lines.

/** worker → main */
export type FromNode =
  /**
   * text the node writes to the terminal (the `user` io server's output), already formatted;
   * `stderr`: text erl writes to standard error (why a node cannot start);
   * `note`: terl's own explanation line (interactive only, shown dim), no part of erl's output
   */
  | { t: 'output'; text: string; stderr?: true; note?: true }
  /** the shell wants the next line; prompt is what erl would show ("1> ", "(a@host)2> "), or '' for a continuation line */
  | { t: 'get_line'; prompt: string }
  /** answer to a completion request */
  | { t: 'completion'; id: number; candidates: string[] }
  /** the node halts with this exit status */
  | { t: 'halt'; code: number }
  /** a Ctrl-G command done: what to show, and whether the terminal goes back to a shell */
  | { t: 'switch_reply'; text: string; connect: boolean }
  /** a BREAK menu answer's text; for (k)ill, the processes to walk through */
  | { t: 'break_reply'; text: string; procs?: { pid: string; text: string }[] }
  /** one line of the wire view (a node started with `wire`: the cluster window's wire pane) */
  | { t: 'wire'; line: string }
  /**
   * the node's place in the cluster (a node started with `glance`: the cluster window's glance
   * pane), sent when it becomes distributed and at each nodeup and nodedown: its name, its
   * distribution port, the nodes it is connected to (hidden ones too)
   */
  | { t: 'glance'; node: string; port: number; links: string[] }
  /**
   * no port mapper answers: serve one in this process (the main thread does: src/port_mapper.ts);
   * `last`: taking over from one that left, the last creation it gave each name
   */
  | { t: 'port_mapper'; id: number; last?: [string, number][] }
  /** the node registered with the port mapper from this local port (it is not handed over when the process leaves) */
  | { t: 'port_mapper_own'; localPort: number };

/** main → worker */
export type ToNode =
  /** one typed line without its newline; null at end of input */
  | { t: 'line'; text: string | null }
  /** words that can complete `prefix` (modules, mod:functions, shell commands, bound variables) */
  | { t: 'complete'; id: number; prefix: string }
  /** Ctrl-C BREAK menu choice / Ctrl-G: 'a' abort (halt), 'i' interrupt the running evaluation */
  | { t: 'break'; action: 'abort' | 'interrupt' }
  /** BREAK menu (p)roc info, (l)oaded, (D)b-tables, (d)istribution, (k)ill's list */
  | { t: 'break_info'; what: 'p' | 'l' | 'D' | 'd' | 'k' }
  /** (k)ill's answer k: kill this process (its pid as printed) */
  | { t: 'break_kill'; pid: string }
  /** SIGTERM: erl logs `SIGTERM received - shutting down` and stops the node (init:stop) */
  | { t: 'sigterm' }
  /** standard output was closed by the reader (a pipe into `head`): `user` ends, as erl's does */
  | { t: 'stdout_closed' }
  /** a Ctrl-G job command: c, i, k, j, s or r, with its argument */
  | { t: 'switch'; cmd: string; arg?: string }
  /** answer to `port_mapper`: one answers now (error: why none could be served) */
  | { t: 'port_mapper_served'; id: number; error?: string };

/** Index into the shared Int32Array of the interrupt flag the scheduler polls at preemption points. */
export const INTERRUPT_FLAG = 0;

/** The main thread's handle on the node's worker (src/cli.ts builds it; the Ink UI and plain mode use it). */
export interface NodeLink {
  post(msg: ToNode): void;
  onMessage(cb: (msg: FromNode) => void): void;
  /** the flag the node's scheduler polls to interrupt a runaway evaluation (absent in tests' fake nodes) */
  interrupt?: Int32Array;
}
