// erlang:trace/3: turn tracing of send, 'receive' and procs events on or off for one process, all
// of them, the existing ones or the ones still to come; trace messages go to the tracer
// ({tracer, Pid}, default the caller). The events themselves are the VM's (runtime/vm/trace.ts).
// `call` traces the calls of functions with a trace pattern (erlang:trace_pattern/3, in
// trace_pattern.ts; runtime/vm/call_trace.ts); set_on_spawn hands the flags to spawned processes.
// Timestamps are not here yet: asking for them is a badarg.

import { Atom, Pid, Term, Tuple, atom, listToArray } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import type { Process } from '../../vm/process.js';
import { setTraceDelivery, traceDefaults, type TraceFlags } from '../../vm/trace.js';
import { BAD_OPTION, bif, fail } from './bif.js';

setTraceDelivery((tracer, msg) => {
  const p = node.process(tracer);
  if (p !== undefined) node.deliver(p, msg);
});

const TRACER = atom('tracer');
const FLAG_NAMES: Record<string, FlagName> = { send: 'send', receive: 'receive', procs: 'procs', call: 'call', set_on_spawn: 'setOnSpawn' };
type FlagName = 'send' | 'receive' | 'procs' | 'call' | 'setOnSpawn';

function apply(old: TraceFlags | undefined, on: boolean, flags: FlagName[], tracer: Pid): TraceFlags | undefined {
  const t: TraceFlags = old !== undefined ? { ...old } : { send: false, receive: false, procs: false, call: false, setOnSpawn: false, tracer };
  for (const f of flags) t[f] = on;
  if (on) t.tracer = tracer;
  return t.send || t.receive || t.procs || t.call ? t : undefined;
}

bif('trace', 3, (spec: Term, how: Term, flagList: Term) => {
  const args = [spec, how, flagList];
  const me = S.current as Process;
  const items = listToArray(flagList);
  if ((how !== atom('true') && how !== atom('false')) || items === undefined) throw fail('trace', args);
  const on = how === atom('true');
  const flags: FlagName[] = [];
  let tracer: Pid = me.pid;
  for (const it of items) {
    if (it instanceof Atom && Object.hasOwn(FLAG_NAMES, it.name)) flags.push(FLAG_NAMES[it.name]);
    else if (it instanceof Tuple && it.elements.length === 2 && it.elements[0] === TRACER && it.elements[1] instanceof Pid && node.process(it.elements[1]) !== undefined) {
      tracer = it.elements[1];
    } else throw fail('trace', args, { 3: BAD_OPTION });
  }
  const set = (p: Process): void => {
    p.trace = apply(p.trace, on, flags, tracer);
  };
  if (spec instanceof Pid) {
    const p = node.isLocal(spec) ? node.process(spec) : undefined;
    if (p === undefined) throw fail('trace', args);
    set(p);
    return 1;
  }
  const name = spec instanceof Atom ? spec.name : '';
  const existing = name === 'all' || name === 'processes' || name === 'existing' || name === 'existing_processes';
  const future = name === 'all' || name === 'processes' || name === 'new' || name === 'new_processes';
  if (!existing && !future) throw fail('trace', args);
  let n = 0;
  if (existing) {
    for (const p of node.processes()) {
      // the tracer is never traced by this call (BEAM leaves it out of all and existing)
      if (p.pid === tracer) continue;
      set(p);
      n++;
    }
  }
  if (future) traceDefaults.forNew = apply(traceDefaults.forNew, on, flags, tracer);
  return n;
});
