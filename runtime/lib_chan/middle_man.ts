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

import { Pid, Term, Tuple, Bin, Ref, atom, tuple, exactEqual } from '../term.js';
import { S } from '../scheduler.js';
import { node } from '../node.js';
import { link, unlink } from '../signals.js';
import type { ChanSocket } from './socket.js';
import { decodeFrame, encodeFrame } from './wire.js';
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

/** The live middle men of this node and their controllers (so rpc can tell who may wait for replies). */
const controllers = new Map<number, Pid>();

/** The controller of a local MM, if `mm` is one. */
export function controllerOf(mm: Pid): Pid | undefined {
  if (!node.isLocal(mm)) return undefined;
  if (node.process(mm) === undefined) {
    controllers.delete(mm.id); // killed: its loop never got to clean up
    return undefined;
  }
  return controllers.get(mm.id);
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
  controllers.set(self.id, controller);
  try {
    for (;;) {
      yield* reduce();
      const m = (yield* receive((x) => x))!;
      const ev = socketEvent(sock, m);
      if (ev !== undefined) {
        if (ev.kind === 'frame') {
          const t = decodeFrame(ev.bytes, false);
          if (t === undefined) {
            // not a term: the peer is broken or hostile; end the channel as if it had closed
            sock.close();
            node.send(controller, tuple(CHAN_CLOSED, self));
            return CLOSE;
          }
          node.send(controller, tuple(CHAN, self, t));
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
          controllers.set(self.id, controller);
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
    controllers.delete(self.id);
  }
}

/** A ref-tagged reply to the process that is waiting for it. */
export function reply(to: Pid, tag: Ref, result: Term): void {
  node.send(to, tuple(tag, result));
}
