// The erlang BIFs under seq_trace (runtime/lib/kernel/seq_trace.erl): seq_trace/2 sets one part of
// the running process's token and answers the old value, seq_trace_info/1 reads one,
// seq_trace_print/1,2 reports to the system tracer, and system_flag(sequential_tracer, T) /
// system_flag(reset_seq_trace, true) set the system tracer and clear every token. The token's
// travels are the VM's (runtime/vm/seq_trace.ts).

import { Atom, NIL, Pid, Term, Tuple, atom, exactEqual, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import type { Process } from '../../vm/process.js';
import { SEQ_PRINT, SEQ_RECEIVE, SEQ_SEND, seqClear, seqPrint, seqSetSerial, seqTokenOf, seqTokenTerm, seqTracing } from '../../vm/seq_trace.js';
import { bif, fail } from './bif.js';

seqTracing.deliver = (to, msg) => {
  const p = node.process(to);
  if (p !== undefined) node.deliver(p, msg);
};

const TRUE = atom('true');
const FALSE = atom('false');
const FLAGS: Record<string, number> = { send: SEQ_SEND, receive: SEQ_RECEIVE, print: SEQ_PRINT };
/** the timestamp flags: accepted and answered, but no trace message carries a time */
const TIME_FLAGS: Record<string, number> = { timestamp: 8, strict_monotonic_timestamp: 16, monotonic_timestamp: 32 };

function me(): Process {
  return S.current as Process;
}

const bool = (b: boolean): Atom => (b ? TRUE : FALSE);

bif('seq_trace', 2, (what: Term, value: Term) => {
  const args = [what, value];
  const p = me();
  const name = what instanceof Atom ? what.name : '';
  if (name === 'sequential_trace_token') {
    const old = seqTokenTerm(p);
    if (value === NIL) {
      seqClear(p);
      return old;
    }
    const els = value instanceof Tuple ? value.elements : [];
    const [flags, label, serial, from, lastcnt] = els;
    if (els.length !== 5 || typeof flags !== 'number' || typeof serial !== 'number' || typeof lastcnt !== 'number' || !(from instanceof Pid)) throw fail('seq_trace', args);
    Object.assign(seqTokenOf(p), { flags, label, from });
    seqSetSerial(p, lastcnt, serial);
    return old;
  }
  const bit = FLAGS[name] ?? TIME_FLAGS[name];
  if (bit !== undefined) {
    if (value !== TRUE && value !== FALSE) throw fail('seq_trace', args);
    const t = seqTokenOf(p);
    const old = (t.flags & bit) !== 0;
    t.flags = value === TRUE ? t.flags | bit : t.flags & ~bit;
    return bool(old);
  }
  if (name === 'label') {
    const t = seqTokenOf(p);
    const old = t.label;
    t.label = value;
    return old;
  }
  if (name === 'serial') {
    const els = value instanceof Tuple ? value.elements : [];
    if (els.length !== 2 || typeof els[0] !== 'number' || typeof els[1] !== 'number') throw fail('seq_trace', args);
    const t = seqTokenOf(p);
    const old = tuple(t.lastcnt, t.serial);
    seqSetSerial(p, els[0], els[1]);
    return old;
  }
  throw fail('seq_trace', args);
});

bif('seq_trace_info', 1, (what: Term) => {
  const t = me().seq?.token;
  const name = what instanceof Atom ? what.name : '';
  const bit = FLAGS[name] ?? TIME_FLAGS[name];
  if (bit !== undefined) return tuple(what, bool(t !== undefined && (t.flags & bit) !== 0));
  if (name === 'label') return t === undefined ? NIL : tuple(what, t.label);
  if (name === 'serial') return t === undefined ? NIL : tuple(what, tuple(t.lastcnt, t.serial));
  throw fail('seq_trace_info', [what]);
});

bif('seq_trace_print', 1, (info: Term) => {
  seqPrint(me(), undefined, info, exactEqual);
  return TRUE;
});

bif('seq_trace_print', 2, (label: Term, info: Term) => {
  seqPrint(me(), label, info, exactEqual);
  return TRUE;
});

// erlang:system_flag/2, for the flags sequential tracing has
bif('system_flag', 2, (flag: Term, value: Term) => {
  const args = [flag, value];
  if (flag === atom('sequential_tracer')) {
    if (value !== FALSE && !(value instanceof Pid && node.process(value) !== undefined)) throw fail('system_flag', args);
    const old = seqTracing.tracer ?? FALSE;
    seqTracing.tracer = value instanceof Pid ? value : undefined;
    return old;
  }
  if (flag === atom('reset_seq_trace') && value === TRUE) {
    for (const p of node.processes()) seqClear(p);
    return TRUE;
  }
  throw fail('system_flag', args);
});
