// Error reports as erl's default logger handler writes them (legacy header, OTP 25):
//
//   =ERROR REPORT==== 25-Nov-2026::19:40:01.123456 ===
//   Error in process <0.90.0> with exit value:
//   {{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}
//   <empty line>
//
// The emulator reports a process that ends with an error or an uncaught throw; an exit is not
// reported. The message is io_lib:format("Error in process ~p with exit value:~n~p~n", ...)
// ("~p on node ~p" when the node is alive), and the handler adds a newline after it.

import { Atom, Pid, Term, Tuple, atom } from '../../../vm/term.js';
import { format } from './io_lib.js';
import { PrintOptions } from './term.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ReportOptions extends PrintOptions {
  /** when the report happened: microseconds since the epoch (default now) */
  timeMicros?: number;
  /** print the time in UTC with the "UTC " marker (logger's utc_log), else local time */
  utc?: boolean;
  /** the node's name when it is alive (distributed): adds "on node N" */
  node?: Atom;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** "=ERROR REPORT==== 25-Nov-2026::19:40:01.123456 ===" (the day is not zero-padded, as OTP). */
export function legacyHeader(title: string, timeMicros: number = nowMicros(), utc = false): string {
  const micro = ((timeMicros % 1e6) + 1e6) % 1e6;
  const d = new Date(Math.floor(timeMicros / 1000));
  const [y, mo, day, h, mi, s] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const year = String(y).padStart(4, ' ');
  return `=${title}==== ${day}-${MONTHS[mo]}-${year}::${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(micro, 6)} ${utc ? 'UTC ' : ''}===`;
}

/**
 * The exit value the emulator reports for a process that died of an uncaught exception,
 * or undefined when nothing is reported (class exit).
 */
export function processExitValue(cls: Atom, reason: Term, stack: Term): Term | undefined {
  if (cls.name === 'exit') return undefined;
  if (cls.name === 'throw') return new Tuple([new Tuple([atom('nocatch'), reason]), stack]);
  return new Tuple([reason, stack]);
}

/** The message of the report, without the header. */
export function processExitMessage(pid: Pid, exitValue: Term, opts: ReportOptions = {}): string {
  if (opts.node !== undefined) {
    return format('Error in process ~p on node ~p with exit value:~n~p~n', [pid, opts.node, exitValue], opts);
  }
  return format('Error in process ~p with exit value:~n~p~n', [pid, exitValue], opts);
}

/**
 * The whole report for a crashed process, ending with the blank line erl leaves:
 * "=ERROR REPORT==== ... ===\nError in process <0.88.0> with exit value:\n{...}\n\n".
 * Pass the exit value from processExitValue.
 */
export function errorReportProcessExit(pid: Pid, exitValue: Term, opts: ReportOptions = {}): string {
  return legacyHeader('ERROR REPORT', opts.timeMicros, opts.utc) + '\n' + processExitMessage(pid, exitValue, opts) + '\n';
}
