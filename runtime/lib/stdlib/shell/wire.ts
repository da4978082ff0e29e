// wire/0,1, a terl-only shell command: this node's distribution traffic, live and decoded. Each
// port-mapper question, each handshake step in the protocol's words (and the step it failed at),
// each control message in or out with its sender and receiver and its terms in erl's syntax:
//
//   client@vm → kvs@vm  REG_SEND rex  {'$gen_call',{<0.90.0>,#Ref<0.1.2.3>},{call,erlang,node,[],<0.70.0>}}
//
// The distribution's tap (runtime/distribution/wire_tap.ts) hands over the events; each line goes
// straight to the node's standard output as it happens (as erlang:display writes), so a reply's
// line comes before the result the shell prints for it.
//
//   wire() | wire(on)      show everything but ticks
//   wire(off)              stop
//   wire(Options)          [{node, Node}] only these peers; [{kind, K}] only these kinds: epmd,
//                          handshake, control, tick, or a control message's name (reg_send, send,
//                          link, monitor_p, ...); ticks: show ticks besides the rest

import { Atom, Term, Tuple, atom, listToArray } from '../../../vm/term.js';
import { node } from '../../../vm/node.js';
import { writeStdout } from '../../kernel/user.js';
import { erlError } from '../../../vm/exception.js';
import { tapWire, type WireEvent } from '../../../distribution/wire_tap.js';
import { Op } from '../../../distribution/connection.js';
import { writeTerm } from '../format/term.js';

const OK = atom('ok');

const OP_NAMES = new Map<number, string>(Object.entries(Op).map(([name, n]) => [n, name]));

export interface WireFilter {
  /** only events with these peers (empty: all) */
  nodes: string[];
  /** only these kinds (empty: all but ticks) */
  kinds: string[];
  ticks: boolean;
}

/** stops the wire view that is on */
let untap: (() => void) | undefined;

/** The line a wire event prints as, or undefined when the filter leaves it out. */
export function wireLine(e: WireEvent, f: WireFilter, thisNode: string): string | undefined {
  const peer = e.kind === 'epmd' ? e.node : e.peer;
  if (f.nodes.length > 0 && (peer === undefined || !f.nodes.includes(peer))) return undefined;
  if (e.kind === 'tick' && !f.ticks && !f.kinds.includes('tick')) return undefined;
  const op = e.kind === 'control' ? opName(e.control) : undefined;
  if (f.kinds.length > 0 && !f.kinds.includes(e.kind) && !(op !== undefined && f.kinds.includes(op.toLowerCase()))) {
    if (!(e.kind === 'tick' && f.ticks)) return undefined;
  }
  switch (e.kind) {
    case 'epmd':
      return `${thisNode} → epmd@${e.host}  ${e.request}  ${e.answer}`;
    case 'handshake': {
      const text = e.failed !== undefined ? `FAILED: ${e.failed}` : (e.detail ?? '');
      return `${arrow(e.dir, e.peer, thisNode)}  ${e.step}  ${text}`.trimEnd();
    }
    case 'tick':
      return `${arrow(e.dir, e.peer, thisNode)}  tick`;
    case 'control':
      return `${arrow(e.dir, e.peer, thisNode)}  ${controlText(e.control, op)}${e.payload !== undefined ? '  ' + writeTerm(e.payload) : ''}`;
  }
}

function arrow(dir: 'in' | 'out', peer: string, thisNode: string): string {
  return dir === 'out' ? `${thisNode} → ${peer}` : `${peer} → ${thisNode}`;
}

function opName(control: Term): string | undefined {
  if (!(control instanceof Tuple) || typeof control.elements[0] !== 'number') return undefined;
  return OP_NAMES.get(control.elements[0]);
}

/** The control message's name and the fields that say where it goes. */
function controlText(control: Term, op: string | undefined): string {
  if (op === undefined || !(control instanceof Tuple)) return writeTerm(control);
  const e = control.elements;
  // a send's seq_trace token is shown after where it goes
  const token = op.endsWith('_TT') ? ` token ${writeTerm(e[e.length - 1])}` : '';
  switch (op) {
    case 'REG_SEND':
    case 'REG_SEND_TT':
      return `${op} ${writeTerm(e[3])}${token}`;
    case 'SEND':
    case 'SEND_TT':
    case 'SEND_SENDER':
    case 'SEND_SENDER_TT':
    case 'ALIAS_SEND':
    case 'ALIAS_SEND_TT':
      return `${op} ${writeTerm(e[2])}${token}`;
    default:
      return [op, ...e.slice(1).map((t) => writeTerm(t))].join(' ');
  }
}

/** The options of wire/1, or undefined when they are not understood. */
export function wireFilter(arg: Term | undefined): WireFilter | undefined {
  const f: WireFilter = { nodes: [], kinds: [], ticks: false };
  if (arg === undefined || arg === atom('on')) return f;
  const items = listToArray(arg);
  if (items === undefined) return undefined;
  for (const it of items) {
    if (it === atom('ticks')) f.ticks = true;
    else if (it instanceof Tuple && it.elements.length === 2 && it.elements[1] instanceof Atom) {
      const [k, v] = it.elements as [Term, Atom];
      if (k === atom('node')) f.nodes.push(v.name);
      else if (k === atom('kind')) f.kinds.push(v.name.toLowerCase());
      else return undefined;
    } else return undefined;
  }
  return f;
}

/** wire/0,1 in the shell: start (or restart with other options) or stop the wire view. */
export function wireCommand(args: Term[]): Term {
  if (args.length === 1 && args[0] === atom('off')) {
    untap?.();
    untap = undefined;
    return OK;
  }
  const f = wireFilter(args[0]);
  if (f === undefined) throw erlError(atom('badarg'));
  untap?.();
  untap = tapWire((e) => {
    const line = wireLine(e, f, node.name.name);
    if (line !== undefined) writeStdout(line + '\n');
  });
  return OK;
}
