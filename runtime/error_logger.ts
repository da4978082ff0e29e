// The error logger: prints OTP 25's report for a process that died of an uncaught error or throw:
//
//   =ERROR REPORT==== 25-Nov-2026::19:49:55.209092 ===
//   Error in process <0.83.0> with exit value:
//   {{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}
//
// The text is made by io_lib:format (as the emulator's message is), and goes out through the
// `logger` process when it runs (so it reaches the terminal after what the dying process was
// printing, like OTP's asynchronous logger), or straight to the fallback sink when it does not.

import { Pid, Term, atom, list, charlist, listToString, tuple } from './term.js';
import { codeServer } from './code_server.js';
import { node } from './node.js';

/** Where reports go when there is no logger process (unit tests, early boot). */
let fallbackSink: (text: string) => void = (text) => {
  process.stderr.write(text);
};

export function setFallbackSink(sink: (text: string) => void): void {
  fallbackSink = sink;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** `=ERROR REPORT==== 25-Nov-2026::19:49:55.209092 ===` in local time, to the microsecond. */
export function reportHeader(kind: string, nowMs: number = performance.timeOrigin + performance.now()): string {
  const d = new Date(Math.floor(nowMs));
  const micros = Math.floor((nowMs - Math.floor(nowMs / 1000) * 1000) * 1000);
  return (
    `=${kind} REPORT==== ${d.getDate()}-${MONTHS[d.getMonth()]}-${d.getFullYear()}::` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(micros, 6)} ===\n`
  );
}

/** io_lib:format(Format, Args) as a JS string, run to completion outside any process. */
export function formatText(format: string, args: Term[]): string | undefined {
  const f = codeServer.find(atom('io_lib'), atom('format'), 2);
  if (f === undefined) return undefined;
  try {
    const g = f(charlist(format), list(args));
    let r = g.next();
    while (!r.done) r = g.next();
    return chardataToString(r.value);
  } catch {
    return undefined;
  }
}

function chardataToString(t: Term): string | undefined {
  const flat = codeServer.find(atom('lists'), atom('flatten'), 1);
  if (flat !== undefined) {
    const g = flat(t);
    let r = g.next();
    while (!r.done) r = g.next();
    t = r.value;
  }
  return listToString(t);
}

/** The report for process pid that died with reason (an uncaught error or throw). */
export function crashReportText(pid: Pid, reason: Term): string {
  const body =
    formatText('Error in process ~p with exit value:~n~p~n', [pid, reason]) ??
    `Error in process <0.${pid.id}.${pid.serial}> with exit value:\n(unformatted: io_lib is not loaded)\n`;
  return reportHeader('ERROR') + body + '\n';
}

/** Log the crash of pid: through the `logger` process if it runs, else the fallback sink. */
export function reportCrash(pid: Pid, reason: Term): void {
  const text = crashReportText(pid, reason);
  logText(text);
}

/** Hand finished report text to the logger process (or the fallback sink). */
export function logText(text: string): void {
  const logger = node.whereis(atom('logger'));
  if (logger !== undefined) node.deliver(logger, tuple(atom('log'), charlist(text)));
  else fallbackSink(text);
}
