// The middle man (MM): one process per end of a channel, owning the socket. Once the handshake
// is over both ends run the same loop, speaking this protocol with their controller:
//
//   MM → controller    {chan, MM, Term}        a frame arrived and decoded to Term
//                      {chan_closed, MM}       the peer closed the connection (the MM then ends)
//   anyone → MM        {send, Term}            write Term as one frame
//                      close                   close the connection; the MM ends, telling nobody
//                      {setController, Pid}    from now on {chan, ...} go to Pid
//
// The MM traps exits and is linked to its controller: when the controller ends, for any reason,
// the connection closes, so the peer hears {chan_closed, _}. An MM always ends with reason
// normal, so a controller is never killed by its channel.

import { Pid, Term, Tuple, Bin, Ref, atom, tuple, exactEqual } from '../../vm/term.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { link, unlink } from '../../vm/signals.js';
import type { ChanSocket } from './socket.js';
import { decodeChannelFrame, encodeFrame } from './wire.js';
import { receive, reduce, ioFormat } from './proc.js';

export const CHAN = atom('chan');
export const CHAN_CLOSED = atom('chan_closed');
const SEND = atom('send');
const CLOSE = atom('close');
const SET_CONTROLLER = atom('setController');
const EXIT = atom('EXIT');
const TCP = atom('tcp');
const TCP_CLOSED = atom('tcp_closed');
const TCP_ERROR = atom('tcp_error');
const RPC = atom('$lib_chan_rpc');
const RPC_CANCEL = atom('$lib_chan_rpc_cancel');

/** A caller waiting for the next frame as the reply to its rpc. */
interface Waiter {
  readonly pid: Pid;
  readonly ref: Ref;
  dropped: boolean;
}

/** The middle men of this node whose channel is open (by pid number). */
const open = new Set<number>();

/** Is `mm` a local middle man with an open channel (one that understands rpc requests)? */
export function isMiddleMan(mm: Pid): boolean {
  return node.isLocal(mm) && open.has(mm.id) && node.process(mm) !== undefined;
}

/** rpc's request to an MM: send X, and give the next frame to From as {Ref, Reply}. */
export function rpcRequest(from: Pid, ref: Ref, x: Term): Tuple {
  return tuple(RPC, from, ref, x);
}

/** rpc gave up waiting: the reply, when it comes, is dropped. */
export function rpcCancel(ref: Ref): Tuple {
  return tuple(RPC_CANCEL, ref);
}

/** Is m a socket event of `sock`? Its kind and data. */
export function socketEvent(sock: ChanSocket, m: Term): { kind: 'frame'; bytes: Uint8Array } | { kind: 'closed' } | { kind: 'error' } | undefined {
  if (!(m instanceof Tuple) || m.size < 2 || m.elements[1] !== sock.id) return undefined;
  const tag = m.elements[0];
  if (tag === TCP && m.elements[2] instanceof Bin) return { kind: 'frame', bytes: m.elements[2].bytes };
  if (tag === TCP_CLOSED) return { kind: 'closed' };
  if (tag === TCP_ERROR) return { kind: 'error' };
  return undefined;
}

/** Was m the exit of `pid` (as a trapping process sees it)? */
function exitOf(m: Term, pid: Pid): boolean {
  return m instanceof Tuple && m.size === 3 && m.elements[0] === EXIT && exactEqual(m.elements[1], pid);
}

/**
 * The MM's loop on an open channel, run by the MM process itself (which traps exits and is
 * linked to `controller`). Returns when the channel is over.
 */
export function* middleMan(sock: ChanSocket, controller: Pid): Generator<unknown, Term, unknown> {
  const self = S.current.pid;
  // rpc callers in the order of their requests; each takes the next frame (the wire has no ids)
  const waiters: Waiter[] = [];
  open.add(self.id);
  try {
    for (;;) {
      yield* reduce();
      const m = (yield* receive((x) => x))!;
      const ev = socketEvent(sock, m);
      if (ev !== undefined) {
        if (ev.kind === 'frame') {
          const t = yield* decodeChannelFrame(ev.bytes);
          if (t === undefined) {
            // not a term: the peer is broken or hostile; end the channel as if it had closed
            sock.close();
            node.send(controller, tuple(CHAN_CLOSED, self));
            return CLOSE;
          }
          const w = waiters.shift();
          if (w === undefined) node.send(controller, tuple(CHAN, self, t));
          else if (!w.dropped) node.send(w.pid, tuple(w.ref, t));
        } else if (ev.kind === 'closed') {
          node.send(controller, tuple(CHAN_CLOSED, self));
          return CLOSE;
        }
        // tcp_error: tcp_closed follows
        continue;
      }
      if (m === CLOSE) {
        sock.close();
        return CLOSE;
      }
      if (m instanceof Tuple && m.size === 2 && m.elements[0] === SEND) {
        sock.send(encodeFrame(m.elements[1]));
        continue;
      }
      if (m instanceof Tuple && m.size === 4 && m.elements[0] === RPC && m.elements[1] instanceof Pid && m.elements[2] instanceof Ref) {
        if (sock.send(encodeFrame(m.elements[3]))) waiters.push({ pid: m.elements[1], ref: m.elements[2], dropped: false });
        continue;
      }
      if (m instanceof Tuple && m.size === 2 && m.elements[0] === RPC_CANCEL) {
        const w = waiters.find((x) => exactEqual(x.ref, m.elements[1]));
        if (w !== undefined) w.dropped = true;
        continue;
      }
      if (m instanceof Tuple && m.size === 2 && m.elements[0] === SET_CONTROLLER && m.elements[1] instanceof Pid) {
        const next = m.elements[1];
        if (!exactEqual(next, controller)) {
          // the channel now lives as long as its new controller
          if (!link(S.current, next)) {
            // no such process: nobody is left to serve the channel
            sock.close();
            return CLOSE;
          }
          unlink(S.current, controller);
          controller = next;
        }
        continue;
      }
      if (exitOf(m, controller)) {
        sock.close();
        return CLOSE;
      }
      if (m instanceof Tuple && m.size === 3 && m.elements[0] === EXIT) continue; // an old controller
      yield* ioFormat('lib_chan_mm: protocol error:~p~n', [m]);
    }
  } finally {
    open.delete(self.id);
  }
}

/** A ref-tagged reply to the process that is waiting for it. */
export function reply(to: Pid, tag: Ref, result: Term): void {
  node.send(to, tuple(tag, result));
}
