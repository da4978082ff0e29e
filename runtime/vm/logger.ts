// Where the VM's reports go. The VM knows when something must be logged (a process died of an
// uncaught error, a distribution connection failed) but not how OTP's logger prints it: that is the
// library's (runtime/lib/kernel/error_logger.ts), which installs itself at boot through setLogger
// (runtime/lib/index.ts). Until then, reports go to standard error as bare text.

import type { Pid, Term } from './term.js';

export interface Logger {
  /** a process died of an uncaught error or throw: the emulator's error report */
  crash(pid: Pid, reason: Term, groupLeader?: Pid): void;
  /** a report titled `title` ('ERROR REPORT', 'WARNING REPORT', ...) with `body` under its header */
  report(title: string, body: string): void;
  /** the header line of a report ("=ERROR REPORT==== 25-Nov-2026::19:40:01.123456 ===") */
  header(title: string): string;
  /** io_lib:format(Format, Args) as text, for reports the VM writes itself (max_heap_size) */
  format(fmt: string, args: Term[]): string;
}

const bare: Logger = {
  crash(pid, reason) {
    process.stderr.write(`Error in process ${String(pid)} with exit value: ${String(reason)}\n`);
  },
  report(title, body) {
    process.stderr.write(`=${title}====\n${body}\n\n`);
  },
  header(title) {
    return `=${title}====`;
  },
  format(fmt, args) {
    return `${fmt} ${args.map(String).join(' ')}`;
  },
};

let current: Logger = bare;

export function setLogger(l: Logger): void {
  current = l;
}

/** The logger installed at boot. */
export function logger(): Logger {
  return current;
}
