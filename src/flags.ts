// erl's command line, as terl understands it. Unlike erl (which passes unknown flags on as plain
// arguments), a flag terl does not know is an error: students mistype flags, and silence helps nobody.

export interface Flags {
  sname?: string;
  name?: string;
  setcookie?: string;
  noshell: boolean;
  /** -eval, -s and -run, in the order given (erl runs them in that order) */
  boot: BootCommand[];
  /** -pa directories, in order (searched first); -pz searched last */
  pa: string[];
  pz: string[];
  /** -kernel Key Value pairs (inet_dist_listen_min, net_ticktime, ...), values as typed */
  kernel: [string, string][];
  connectAll: boolean;
  hidden: boolean;
  remsh?: string;
  help: boolean;
  version: boolean;
  /** everything after -extra (init:get_plain_arguments/0) */
  extra: string[];
  /** -loader inet: files come from a boot server at one of -hosts (runtime/lib/erts/erl_prim_loader.ts) */
  loader?: 'efile' | 'inet';
  hosts: string[];
  /** -id Name: the node's identity, as init:get_argument(id) shows it */
  id?: string;
  /** -config File ...: application parameters (sys.config) */
  config: string[];
  /** +sbwt: how long the scheduler polls after work before it sleeps, in milliseconds */
  busyWaitMs?: number;
  /** +P: the most processes alive at once */
  processLimit?: number;
  /** the interactive shell explains why a node could not be reached (--no-explain, TERL_EXPLAIN=0 turn it off) */
  explain: boolean;
  /** --cluster Spec: several nodes in one terminal window (src/cluster.ts reads the spec) */
  cluster?: string;
  /** --tour: the seed's lesson, step by step, in a two-node cluster window */
  tour: boolean;
}

/** -eval Expr, or -s / -run Mod Fun Args (atoms for -s, strings for -run). */
export type BootCommand =
  | { kind: 'eval'; expr: string }
  | { kind: 's' | 'run'; module: string; fn: string; args: string[] };

export class FlagError extends Error {}

/**
 * erl's +sbwt thresholds, as the time terl's scheduler goes on polling after work before it
 * sleeps (BEAM counts spins; medium, the default, is about a millisecond of them).
 */
const BUSY_WAIT_MS: Record<string, number> = { none: 0, very_short: 0.1, short: 0.3, medium: 1, long: 3, very_long: 10 };

/** +P's range, as erl's */
const MIN_PROCESS_LIMIT = 1024;
const MAX_PROCESS_LIMIT = 134217727;

const USAGE = `Usage: terl [flags]
  -sname Name            start a distributed node with a short name (Name@host)
  -name Name[@Host]      start a distributed node with a long name (needs a fully qualified host)
  -setcookie Cookie      the magic cookie (default: $HOME/.erlang.cookie)
  -hidden                connect to other nodes as a hidden node
  -connect_all false     do not connect to the nodes other nodes know
  -remsh Node            a shell whose evaluations run on Node
  -noshell               no shell; use with -eval, -s or -run
  -eval Expr             evaluate Expr at start (several allowed)
  -s Mod [Fun [Args]]    call Mod:Fun([Args as atoms]) at start (Fun defaults to start)
  -run Mod [Fun [Args]]  call Mod:Fun([Args as strings]) at start
  -pa Dir ...            add directories to the front of the code path
  -pz Dir ...            add directories to the end of the code path
  -config File ...       application parameters from File.config (sys.config)
  -kernel Key Value ...  set kernel application parameters (inet_dist_listen_min, inet_dist_listen_max, net_ticktime)
  -loader inet           fetch modules from a boot server (erl_boot_server) ...
  -hosts IP ...          ... at these addresses
  -id Name               the node's identity (with -loader inet)
  -extra Args ...        plain arguments for init:get_plain_arguments/0
  +P Number              the most processes alive at once (default 262144)
  +sbwt Threshold        scheduler busy wait: none | very_short | short | medium | long | very_long
  --no-explain           no explanation lines under pang and {badrpc,...} in the
                         interactive shell (also TERL_EXPLAIN=0)
  --cluster Node,Node... several nodes in one terminal window, a pane each, e.g.
                         --cluster kvs_server,client; per node, after a colon:
                         cookie=C (its own cookie, e.g. client:cookie=wrong),
                         name (a long name, -name) or sname (the default);
                         the other flags (-setcookie, -pa, ...) apply to every node.
                         Keys: Ctrl-O (F2) next pane, Ctrl-X (F3) zoom the pane,
                         Ctrl-V (F4) the wire view of the focused pane's node,
                         Ctrl-S (F5) the cluster at a glance: each node, its port
                         and whom it is connected to (in a shell: cluster())
  --tour                 the seed's lesson in a two-node cluster window
                         (kvs_server, client), a hint for each next step
  --help                 this text
  --version              terl's version

Environment:
  ERL_AFLAGS             flags read before the command line's
  ERL_FLAGS, ERL_ZFLAGS  flags read after it (an -extra in one covers the rest of that variable)
  NO_COLOR, FORCE_COLOR  colour in the terminal: off when NO_COLOR is set; FORCE_COLOR=0 or 1 decides
  TERM=dumb              no line editor: lines as the terminal reads them, no escape codes
  TERL_HISTORY           the shell's history file (default ~/.terl_history, kept private: mode 0600)
`;

export function usage(): string {
  return USAGE;
}

function isFlag(s: string): boolean {
  return (s.startsWith('-') && s.length > 1) || /^\+[a-zA-Z]/.test(s);
}

/**
 * Parse erl-style arguments; throws FlagError with a one-line message. `fromEnv` marks the arguments
 * that came from ERL_AFLAGS, ERL_FLAGS or ERL_ZFLAGS (src/env_flags.ts): a flag terl does not know is
 * skipped there with its values, since those variables are often set for erl's other flags.
 */
export function parseFlags(argv: string[], fromEnv: boolean[] = []): Flags {
  const f: Flags = {
    noshell: false,
    boot: [],
    pa: [],
    pz: [],
    kernel: [],
    connectAll: true,
    hidden: false,
    help: false,
    version: false,
    extra: [],
    hosts: [],
    config: [],
    explain: process.env.TERL_EXPLAIN !== '0',
    tour: false,
  };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (isFlag(v) && flag !== '-eval')) throw new FlagError(`terl: ${flag} needs a value`);
    i++;
    return v;
  };
  const values = (): string[] => {
    const out: string[] = [];
    while (i + 1 < argv.length && !isFlag(argv[i + 1])) out.push(argv[++i]);
    return out;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-sname':
        f.sname = value(a);
        break;
      case '-name':
        f.name = value(a);
        break;
      case '-setcookie':
        f.setcookie = value(a);
        break;
      case '--no-explain':
        f.explain = false;
        break;
      case '--cluster':
        f.cluster = value(a);
        break;
      case '--tour':
        f.tour = true;
        break;
      case '-noshell':
      case '-noinput':
        f.noshell = true;
        break;
      case '-eval':
        f.boot.push({ kind: 'eval', expr: value(a) });
        break;
      case '-s':
      case '-run': {
        const vs = values();
        if (vs.length === 0) throw new FlagError(`terl: ${a} needs a module name`);
        f.boot.push({ kind: a === '-s' ? 's' : 'run', module: vs[0], fn: vs[1] ?? 'start', args: vs.slice(2) });
        break;
      }
      case '-pa':
        f.pa.push(...values());
        break;
      case '-pz':
        f.pz.push(...values());
        break;
      case '-kernel': {
        const vs = values();
        if (vs.length === 0 || vs.length % 2 !== 0) throw new FlagError('terl: -kernel needs Key Value pairs');
        for (let k = 0; k < vs.length; k += 2) f.kernel.push([vs[k], vs[k + 1]]);
        break;
      }
      case '-connect_all': {
        const v = value(a);
        if (v !== 'true' && v !== 'false') throw new FlagError(`terl: -connect_all takes true or false, not ${v}`);
        f.connectAll = v === 'true';
        break;
      }
      case '-loader': {
        const v = value(a);
        if (v !== 'efile' && v !== 'inet') throw new FlagError(`terl: -loader takes efile or inet, not ${v}`);
        f.loader = v;
        break;
      }
      case '-hosts':
        f.hosts.push(...values());
        break;
      case '-id':
        f.id = value(a);
        break;
      case '-config': {
        const vs = values();
        if (vs.length === 0) throw new FlagError('terl: -config needs a file name');
        f.config.push(...vs);
        break;
      }
      case '-hidden':
        f.hidden = true;
        break;
      case '-remsh':
        f.remsh = value(a);
        break;
      case '--help':
      case '-help':
      case '-h':
        f.help = true;
        break;
      case '--version':
      case '-version':
        f.version = true;
        break;
      case '+sbwt': {
        const v = argv[++i];
        if (v === undefined || !(v in BUSY_WAIT_MS)) throw new FlagError(`bad scheduler busy wait threshold: ${v ?? ''}`);
        f.busyWaitMs = BUSY_WAIT_MS[v];
        break;
      }
      case '+P': {
        const v = argv[++i] ?? '';
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!(n >= MIN_PROCESS_LIMIT && n <= MAX_PROCESS_LIMIT)) throw new FlagError(`bad number of processes ${v}`);
        f.processLimit = n;
        break;
      }
      case '-extra':
        f.extra = argv.slice(i + 1);
        i = argv.length;
        break;
      default:
        if (fromEnv[i]) {
          while (i + 1 < argv.length && !isFlag(argv[i + 1]!)) i++;
          break;
        }
        throw new FlagError(
          isFlag(a) ? `terl: unknown flag ${a} (terl --help lists the flags)` : `terl: unexpected argument ${a} (terl --help lists the flags)`,
        );
    }
  }
  if (f.sname !== undefined && f.name !== undefined) throw new FlagError('terl: -sname and -name cannot be used together');
  if (f.remsh !== undefined && f.sname === undefined && f.name === undefined) {
    // a remote shell needs a node of its own: a hidden one with a made-up name, as OTP 26's erl does
    f.sname = `remsh${process.pid}`;
    f.hidden = true;
  }
  for (const [k, v] of f.kernel) {
    if ((k === 'inet_dist_listen_min' || k === 'inet_dist_listen_max' || k === 'net_ticktime') && !/^\d+$/.test(v)) {
      throw new FlagError(`terl: -kernel ${k} needs a number, not ${v}`);
    }
  }
  return f;
}
