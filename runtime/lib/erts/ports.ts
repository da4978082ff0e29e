// The port BIFs of module erlang: open_port/2, port_command/2,3, port_close/1, port_connect/2,
// port_info/1,2 and ports/0. Badarg texts are erl_erts_errors' (what the shell prints under
// `*** argument N:`).

import { accessSync, constants, statSync } from 'node:fs';
import { Atom, Bin, List, NIL, Pid, Port, Term, Tuple, atom, list, tuple, TRUE, FALSE, UNDEFINED } from '../../vm/term.js';
import { badarg, bifError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { S } from '../../vm/scheduler.js';
import type { Process } from '../../vm/process.js';
import { node } from '../../vm/node.js';
import { resolvePath, getCwd } from '../../vm/cwd.js';
import { chardataString, iodataBytes, items, str } from '../common.js';
import { ErtsPort, openPorts, portOf } from '../../vm/port_table.js';
import { DEFAULT_SPAWN_OPTIONS, SpawnPort, type Program, type SpawnOptions } from './spawn_port.js';

type Why = Record<number, string>;

function fail(name: string, args: Term[], why?: Why, cause?: string): never {
  throw badarg('erlang', name, args, why ?? {}, cause);
}

/** The port an argument names (a port, or a registered name is not supported): badarg otherwise. */
function thePort(name: string, args: Term[], t: Term): ErtsPort {
  const p = portOf(t);
  if (p !== undefined) return p;
  if (t instanceof Port) fail(name, args, node.isLocal(t) ? {} : { 1: 'not a local port' });
  if (t instanceof Atom) fail(name, args, {});
  return fail(name, args, { 1: 'not a port' });
}

// ---------- open_port ----------

const A = {
  spawn: atom('spawn'),
  spawn_executable: atom('spawn_executable'),
  packet: atom('packet'),
  line: atom('line'),
  stream: atom('stream'),
  cd: atom('cd'),
  env: atom('env'),
  args: atom('args'),
  arg0: atom('arg0'),
  exit_status: atom('exit_status'),
  use_stdio: atom('use_stdio'),
  nouse_stdio: atom('nouse_stdio'),
  stderr_to_stdout: atom('stderr_to_stdout'),
  overlapped_io: atom('overlapped_io'),
  in: atom('in'),
  out: atom('out'),
  binary: atom('binary'),
  eof: atom('eof'),
  hide: atom('hide'),
  parallelism: atom('parallelism'),
  busy_limits_port: atom('busy_limits_port'),
  busy_limits_msgq: atom('busy_limits_msgq'),
};

/** A file name or command as open_port takes it: a string, a binary, or (for a file) an atom. */
function nameText(t: Term): string | undefined {
  if (t instanceof Bin) return t.isBinary ? new TextDecoder().decode(t.bytes) : undefined;
  if (t instanceof Atom) return t.name;
  return chardataString(t);
}

function isString(t: Term): boolean {
  return t === NIL || (t instanceof List && chardataString(t) !== undefined);
}

/** open_port's options, or undefined for one it does not take. */
function spawnOptions(t: Term): SpawnOptions | undefined {
  const opts = items(t);
  if (opts === undefined) return undefined;
  const o: SpawnOptions = { ...DEFAULT_SPAWN_OPTIONS, env: [] };
  for (const x of opts) {
    if (x instanceof Atom) {
      switch (x) {
        case A.stream:
          o.packet = 0;
          o.line = undefined;
          break;
        case A.exit_status:
          o.exitStatus = true;
          break;
        case A.use_stdio:
          o.useStdio = true;
          break;
        case A.nouse_stdio:
          o.useStdio = false;
          break;
        case A.stderr_to_stdout:
          o.stderrToStdout = true;
          break;
        case A.in:
          o.input = true;
          o.output = false;
          break;
        case A.out:
          o.output = true;
          o.input = false;
          break;
        case A.binary:
          o.binary = true;
          break;
        case A.eof:
          o.eof = true;
          break;
        case A.hide:
        case A.overlapped_io:
          break;
        default:
          return undefined;
      }
      continue;
    }
    if (!(x instanceof Tuple) || x.elements.length !== 2) return undefined;
    const [k, v] = x.elements;
    switch (k) {
      case A.packet:
        if (v !== 1 && v !== 2 && v !== 4) return undefined;
        o.packet = v;
        o.line = undefined;
        break;
      case A.line:
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return undefined;
        o.line = v;
        o.packet = 0;
        break;
      case A.cd: {
        const d = nameText(v);
        if (d === undefined) return undefined;
        o.cd = resolvePath(d);
        break;
      }
      case A.env: {
        const env = items(v);
        if (env === undefined) return undefined;
        for (const e of env) {
          if (!(e instanceof Tuple) || e.elements.length !== 2) return undefined;
          const name = nameText(e.elements[0]);
          const val = e.elements[1] === FALSE ? false : nameText(e.elements[1]);
          if (name === undefined || name === '' || name.includes('=') || val === undefined) return undefined;
          o.env.push([name, val]);
        }
        break;
      }
      case A.args: {
        const args = items(v);
        if (args === undefined) return undefined;
        const texts = args.map(nameText);
        if (texts.some((a) => a === undefined)) return undefined;
        o.args = texts as string[];
        break;
      }
      case A.arg0: {
        const a = nameText(v);
        if (a === undefined) return undefined;
        o.arg0 = a;
        break;
      }
      case A.parallelism:
        if (v !== TRUE && v !== FALSE) return undefined;
        break;
      case A.busy_limits_port:
      case A.busy_limits_msgq:
        break;
      default:
        return undefined;
    }
  }
  return o;
}

/** Why an executable cannot be run: enoent, eacces, or undefined when it can. */
function cannotRun(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'eacces';
    accessSync(file, constants.X_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'enoent' : 'eacces';
  }
}

/** open_port(PortName, Settings) for the calling process. */
export function openPort(self: Process, name: Term, settings: Term): SpawnPort {
  const args = [name, settings];
  if (!(name instanceof Tuple) || name.elements.length !== 2) return fail('open_port', args, name instanceof Tuple ? { 1: 'invalid port name' } : { 1: 'not a tuple' });
  const [kind, what] = name.elements;
  const o = spawnOptions(settings);
  if (o === undefined) return fail('open_port', args, { 2: 'invalid option in list' }, 'badopt');
  let program: Program;
  let shown: string;
  if (kind === A.spawn && (what instanceof Bin || isString(what))) {
    const cmd = nameText(what);
    if (cmd === undefined || cmd === '') return fail('open_port', args, { 1: 'invalid port name' });
    if (o.args !== undefined) return fail('open_port', args, { 1: 'must be spawn_executable' });
    program = { command: cmd };
    shown = cmd;
  } else if (kind === A.spawn_executable) {
    const file = nameText(what);
    if (file === undefined || file === '') return fail('open_port', args, { 1: 'invalid port name' });
    const path = resolvePath(file);
    const why = cannotRun(path);
    if (why !== undefined) throw bifError(atom(why), 'erlang', 'open_port', args, { 1: 'invalid port name' });
    program = { file: path };
    shown = file;
  } else {
    return fail('open_port', args, { 1: 'invalid port name' });
  }
  if (o.cd === undefined) o.cd = getCwd();
  return new SpawnPort(self, shown, program, o);
}

defineGenBif('erlang', 'open_port', 2, function* (name: Term, settings: Term) {
  return openPort(S.current, name, settings).term;
});

// ---------- talking to a port ----------

defineGenBif('erlang', 'port_command', 2, function* (port: Term, data: Term) {
  const args = [port, data];
  const p = thePort('port_command', args, port);
  const bytes = iodataBytes(data);
  if (bytes === undefined) fail('port_command', args, { 2: 'not an iodata term' });
  p.write(bytes);
  return TRUE;
});

const FORCE = atom('force');
const NOSUSPEND = atom('nosuspend');

defineGenBif('erlang', 'port_command', 3, function* (port: Term, data: Term, opts: Term) {
  const args = [port, data, opts];
  const os = items(opts);
  if (os === undefined || os.some((x) => x !== FORCE && x !== NOSUSPEND)) fail('port_command', args, { 3: 'invalid option in list' }, 'badopt');
  const p = thePort('port_command', args, port);
  const bytes = iodataBytes(data);
  if (bytes === undefined) fail('port_command', args, { 2: 'not an iodata term' });
  p.write(bytes);
  return TRUE;
});

defineGenBif('erlang', 'port_close', 1, function* (port: Term) {
  thePort('port_close', [port], port).exit(atom('normal'));
  return TRUE;
});

defineGenBif('erlang', 'port_connect', 2, function* (port: Term, pid: Term) {
  const args = [port, pid];
  const p = thePort('port_connect', args, port);
  if (!(pid instanceof Pid)) fail('port_connect', args, { 2: 'not a pid' });
  const q = node.process(pid);
  if (q === undefined) fail('port_connect', args, {});
  p.connect(q);
  return TRUE;
});

// ---------- port_info ----------

const INFO_ITEMS = ['name', 'links', 'id', 'connected', 'input', 'output', 'os_pid'];
const ALL_ITEMS = new Set([
  ...INFO_ITEMS,
  'registered_name',
  'monitors',
  'monitored_by',
  'parallelism',
  'queue_size',
  'memory',
  'locking',
]);

function infoItem(p: ErtsPort, item: string): Term | undefined {
  switch (item) {
    case 'name':
      return str(p.name);
    case 'links':
      return list([...p.links.values()]);
    case 'id':
      return p.id;
    case 'connected':
      return p.owner.pid;
    case 'input':
      return p.input;
    case 'output':
      return p.output;
    case 'os_pid':
      return p.osPid ?? UNDEFINED;
    case 'registered_name':
      return p.registeredName;
    case 'monitors':
    case 'monitored_by':
      return NIL;
    case 'parallelism':
      return FALSE;
    case 'queue_size':
      return 0;
    case 'memory':
      return 456;
    case 'locking':
      return atom('port_level');
  }
  return undefined;
}

defineBif('erlang', 'port_info', 1, (port: Term) => {
  const p = portOf(port);
  if (p === undefined) {
    if (port instanceof Port || port instanceof Atom) return UNDEFINED;
    return fail('port_info', [port], { 1: 'not a port' });
  }
  return list(INFO_ITEMS.map((i) => tuple(atom(i), infoItem(p, i)!)));
});

defineBif('erlang', 'port_info', 2, (port: Term, item: Term) => {
  const args = [port, item];
  if (!(port instanceof Port) && !(port instanceof Atom)) fail('port_info', args, { 1: 'not a port' });
  const p = portOf(port);
  // (a name no port has, or a closed port, answers undefined before the item is looked at)
  if (p === undefined && port instanceof Atom) return UNDEFINED;
  if (!(item instanceof Atom) || !ALL_ITEMS.has(item.name)) fail('port_info', args, { 2: 'invalid option in list' });
  if (p === undefined) return UNDEFINED;
  const v = infoItem(p, item.name);
  // (a port without a registered name has none to show, as erl's gives [])
  if (v === undefined) return item.name === 'registered_name' ? NIL : UNDEFINED;
  return tuple(item, v);
});

defineBif('erlang', 'ports', 0, () => list(openPorts().map((p) => p.term)));
