// The error logger: prints OTP 25's report for a process that died of an uncaught error or throw:
//
//   =ERROR REPORT==== 25-Nov-2026::19:49:55.209092 ===
//   Error in process <0.83.0> with exit value:
//   {{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}
//
// The text is src/format/report.ts's (io_lib:format's ~p, as the emulator's message), and goes out through the
// `logger` process when it runs (so it reaches the terminal after what the dying process was
// printing, like OTP's asynchronous logger), or straight to the fallback sink when it does not.

import { Pid, Term, Tuple, atom, charlist, tuple } from './term.js';
import { S } from './scheduler.js';
import { receive, receiveAny } from './receive.js';
import { node, NONODE } from './node.js';
import { errorReportProcessExit } from '../src/format/report.js';

/** Where reports go when there is no logger process (unit tests, early boot). */
let fallbackSink: (text: string) => void = (text) => {
  process.stderr.write(text);
};

export function setFallbackSink(sink: (text: string) => void): void {
  fallbackSink = sink;
}

/** The report for process pid that died with reason (an uncaught error or throw). */
export function crashReportText(pid: Pid, reason: Term): string {
  return errorReportProcessExit(pid, reason, node.name === NONODE ? {} : { node: node.name });
}

/** Log the crash of pid: through the `logger` process if it runs, else the fallback sink. */
export function reportCrash(pid: Pid, reason: Term): void {
  const text = crashReportText(pid, reason);
  logText(text);
}

/** Hand finished report text to the logger process (or the fallback sink). */
export function logText(text: string): void {
  const logger = node.whereis(LOGGER);
  if (logger !== undefined) node.deliver(logger, tuple(LOG, charlist(text)));
  else fallbackSink(text);
}

const LOGGER = atom('logger');
const LOG = atom('log');
const IO_REPLY = atom('io_reply');

/**
 * Start the `logger` process: it writes each report to `device` (the `user` I/O server) with an
 * ordinary put_chars request, after whatever output is already queued there.
 */
export function startLogger(device: Pid): Pid {
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (m instanceof Tuple && m.elements[0] === LOG && m.elements.length === 2) {
        const ref = node.makeRef();
        node.sendToPid(device, tuple(atom('io_request'), S.current.pid, ref, tuple(atom('put_chars'), atom('unicode'), m.elements[1])));
        // wait for the reply so reports never overtake each other
        yield* receive((r) => (r instanceof Tuple && r.elements[0] === IO_REPLY && r.elements[1] === ref ? r : undefined), 5000);
      }
    }
  }, [], { groupLeader: device });
  node.register(LOGGER, p);
  return p.pid;
}
