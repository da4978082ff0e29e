// `terl --tour`: the seed's lesson in a two-node cluster window (pane 0 kvs_server, pane 1 client).
// Each step names the expression to type next and where; it is done when that line is typed there.
// After it, the wire pane says what the step put on the wire.

/** The nodes' full names, as their prompts show them: [kvs_server@host, client@host]. */
type Names = readonly string[];

export interface TourStep {
  /** the pane to type in: 0 kvs_server, 1 client */
  pane: number;
  expr(n: Names): string;
  /** why this step, in a few words */
  says: string;
  /** what the wire view shows once it ran */
  wire?: string;
}

/** An atom as the shell wants it typed: quoted when a host name has a '-' or the like. */
function atomText(name: string): string {
  return /^[a-z][A-Za-z0-9_@]*$/.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const S = (n: Names) => atomText(n[0]!);
const C = (n: Names) => atomText(n[1]!);

export const TOUR: readonly TourStep[] = [
  {
    pane: 0,
    expr: () => 'kvs:start().',
    says: 'One node: start the key-value store of kvs.erl (in terl\'s examples) as a registered process.',
    wire: 'Nothing: a local call never leaves the node. Only the port mapper registration at start is on the wire.',
  },
  { pane: 0, expr: () => 'kvs:store(weather, raining).', says: 'Store a value on this node: a message to kvs and its reply, all local.' },
  {
    pane: 1,
    expr: (n) => `net_adm:ping(${S(n)}).`,
    says: 'Two nodes: the client contacts kvs_server for the first time.',
    wire: 'The client asks the port mapper (epmd) for kvs_server\'s port, then the handshake: send_name, recv_status ok, the challenges; the cookies agree, so pong.',
  },
  {
    pane: 1,
    expr: (n) => `rpc:call(${S(n)}, kvs, store, [weather, fine]).`,
    says: 'Call kvs:store/2 on kvs_server from the client.',
    wire: 'OTP 25\'s rpc:call is a SPAWN_REQUEST of erpc:execute_call on kvs_server (global\'s own messages around it); the answer is that process\'s exit, PAYLOAD_MONITOR_P_EXIT with {Ref,return,true}.',
  },
  {
    pane: 1,
    expr: (n) => `{kvs, ${S(n)}} ! {self(), {lookup, weather}}, receive R -> R end.`,
    says: 'Send to the registered name kvs on kvs_server yourself, as kvs:lookup/1 does locally.',
    wire: 'REG_SEND kvs with {Pid,{lookup,weather}}: a message to a registered name; the answer comes back as SEND_SENDER to the shell\'s pid: {kvs,{ok,fine}}.',
  },
  { pane: 0, expr: () => 'kvs:lookup(weather).', says: 'On kvs_server: the value the client stored is here.' },
  {
    pane: 1,
    expr: (n) => `erlang:disconnect_node(${S(n)}), erlang:set_cookie(${S(n)}, wrong).`,
    says: 'A cookie mismatch: drop the connection and use a wrong cookie for kvs_server.',
  },
  {
    pane: 1,
    expr: (n) => `net_adm:ping(${S(n)}).`,
    says: 'Try again with the wrong cookie: pang, and the dim line says why.',
    wire: 'The handshake fails at recv_challenge_ack: kvs_server rejected the challenge reply, since the cookies differ. kvs_server reports the rejected attempt.',
  },
  {
    pane: 1,
    expr: (n) => `erlang:set_cookie(${S(n)}, erlang:get_cookie()).`,
    says: 'Back to the right cookie.',
  },
  {
    pane: 1,
    expr: (n) => `Pid = spawn(${S(n)}, fun() -> receive {From, Msg} -> From ! {node(), Msg} end end).`,
    says: 'Remote spawn: a process on kvs_server, started from the client (its pid shows the other node).',
    wire: 'A new handshake (the cookie is right again), then SPAWN_REQUEST with the fun, and SPAWN_REPLY with the new process\'s pid.',
  },
  {
    pane: 1,
    expr: () => 'Pid ! {self(), hello}, receive R2 -> R2 end.',
    says: 'Send it a message and wait for its answer.',
    wire: 'SEND_SENDER to the remote pid with {Pid,hello}, and SEND_SENDER back to the shell with {kvs_server@...,hello}.',
  },
  {
    pane: 1,
    expr: (n) => `monitor_node(${S(n)}, true).`,
    says: 'monitor_node: ask to hear when kvs_server goes away.',
  },
  {
    pane: 0,
    expr: (n) => `erlang:disconnect_node(${C(n)}).`,
    says: 'On kvs_server: cut the connection to the client.',
    wire: 'No message says goodbye: the connection just closes, and monitor_node on the client delivers {nodedown,kvs_server@...}.',
  },
  {
    pane: 1,
    expr: () => 'flush().',
    says: 'The client got {nodedown, kvs_server@...}: that is what monitor_node delivers.',
  },
];

/** Where the tour stands, and what to show for it. */
export class Tour {
  at = 0;
  /** what the wire view showed for the last step done */
  wireNote: string | undefined;

  constructor(private readonly steps: readonly TourStep[] = TOUR) {}

  get done(): boolean {
    return this.at >= this.steps.length;
  }

  /** The pane the next step is typed in (the client's once the tour is done). */
  get pane(): number {
    return this.steps[this.at]?.pane ?? 1;
  }

  /** A line typed in a pane: the step is done when it is the step's expression, in its pane. */
  typed(pane: number, line: string, names: Names): boolean {
    const step = this.steps[this.at];
    if (step === undefined || step.pane !== pane || squash(line) !== squash(step.expr(names))) return false;
    this.wireNote = step.wire;
    this.at++;
    return true;
  }

  /** The hint for the pane in focus: the next expression, and where to type it. */
  hint(focused: number, names: Names): string[] {
    const step = this.steps[this.at];
    if (step === undefined) return [`tour: done. Both nodes are yours; q(). in a pane halts its node.`];
    const where = names[step.pane]!;
    const go = focused === step.pane ? '' : ' (Ctrl-O to go there)';
    return [`tour ${this.at + 1}/${this.steps.length}: ${step.says}`, `next, on ${where}${go}: ${step.expr(names)}`];
  }
}

/** The line without its blanks' differences. */
function squash(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}
