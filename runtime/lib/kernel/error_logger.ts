// The error logger: prints OTP 25's report for a process that died of an uncaught error or throw:
//
//   =ERROR REPORT==== 25-Nov-2026::19:49:55.209092 ===
//   Error in process <0.83.0> with exit value:
//   {{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}
//
// The text is runtime/lib/stdlib/format/report.ts's (io_lib:format's ~p, as the emulator's message), and goes out through the
// `logger` process when it runs (so it reaches the terminal after what the dying process was
// printing, like OTP's asynchronous logger), or straight to the fallback sink when it does not.

import { Atom, ErlMap, Pid, Term, Tuple, atom, charlist, exactEqual, list, listToString, tuple, TRUE } from '../../vm/term.js';
import { S } from '../../vm/scheduler.js';
import { receive, receiveAny } from '../../vm/receive.js';
import { node, NONODE } from '../../vm/node.js';
import type { Logger } from '../../vm/logger.js';
import { errorReportProcessExit, legacyHeader } from '../stdlib/format/report.js';
import { format as ioFormat } from '../stdlib/format/io_lib.js';
import { loggerAllows } from './logger_config.js';
import { setMemoryReporter } from '../../vm/memory.js';

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

/**
 * Log the crash of pid: through the `logger` process if it runs, else the fallback sink. A process
 * whose group leader is on another node has its report printed there instead (OTP's logger sends
 * such events to logger_proxy on the group leader's node, and its default handler drops them locally).
 */
export function reportCrash(pid: Pid, reason: Term, groupLeader?: Pid): void {
  // an error event, as Logger sees it: dropped when the primary level is above error
  if (!loggerAllows('error')) return;
  if (groupLeader !== undefined && !node.isLocal(groupLeader) && node.dist !== undefined) {
    const meta = ErlMap.from([
      [atom('error_logger'), ErlMap.from([[atom('tag'), atom('error')], [atom('emulator'), TRUE]])],
      [atom('gl'), groupLeader],
      [atom('pid'), pid],
      [atom('time'), Math.floor((performance.timeOrigin + performance.now()) * 1000)],
    ]);
    const event = tuple(LOG, atom('error'), charlist('Error in process ~p on node ~p with exit value:~n~p~n'), list([pid, node.name, reason]), meta);
    node.send(tuple(atom('logger_proxy'), groupLeader.node), event);
    return;
  }
  const text = crashReportText(pid, reason);
  logText(text);
}

const LEVEL_TITLES: Record<string, string> = {
  emergency: 'EMERGENCY REPORT',
  alert: 'ALERT REPORT',
  critical: 'CRITICAL REPORT',
  error: 'ERROR REPORT',
  warning: 'WARNING REPORT',
  notice: 'NOTICE REPORT',
  info: 'INFO REPORT',
  debug: 'DEBUG REPORT',
};

/**
 * A log event another node's logger sent here ({log, Level, Format, Args, Meta} or
 * {log, Level, Report, Meta}): its text as the default handler prints it.
 */
export function remoteEventText(m: Tuple): string | undefined {
  const [, level, what, argsOrMeta, maybeMeta] = m.elements;
  if (!(level instanceof Atom) || LEVEL_TITLES[level.name] === undefined) return undefined;
  const meta = m.elements.length === 5 ? maybeMeta : argsOrMeta;
  const time = meta instanceof ErlMap ? meta.get(atom('time')) : undefined;
  const micros = typeof time === 'number' ? time : undefined;
  // the title a report names itself (CRASH REPORT, SUPERVISOR REPORT), as logger_formatter takes it
  const own = meta instanceof ErlMap ? meta.get(atom('logger_formatter')) : undefined;
  const ownTitle = own instanceof ErlMap ? own.get(atom('title')) : undefined;
  const title = ownTitle !== undefined ? listToString(ownTitle) : undefined;
  let body: string;
  try {
    body = m.elements.length === 5 ? ioFormat(what, argsOrMeta) : ioFormat(charlist('~p~n'), list([what]));
  } catch {
    body = ioFormat(charlist('~p~n'), list([what]));
  }
  return legacyHeader(title ?? LEVEL_TITLES[level.name], micros) + '\n' + body + '\n';
}

/** Hand finished report text to the logger process (or the fallback sink). */
export function logText(text: string): void {
  const logger = node.whereis(LOGGER);
  if (logger !== undefined) node.deliver(logger, tuple(LOG, charlist(text)));
  else fallbackSink(text);
}

// memory.ts's reports (a process past its heap) go out as every other report
setMemoryReporter(logText);

const LOGGER = atom('logger');
const LOG = atom('log');
const IO_REPLY = atom('io_reply');

/**
 * Start the `logger` process: it writes each report to `device` (the `user` I/O server) with an
 * ordinary put_chars request, after whatever output is already queued there.
 */
export function startLogger(device: Pid): Pid {
  const eventText = (m: Term): string | undefined => {
    if (!(m instanceof Tuple) || m.elements[0] !== LOG) return undefined;
    if (m.elements.length === 2) return listToString(m.elements[1]) ?? undefined;
    if (m.elements.length === 4 || m.elements.length === 5) return remoteEventText(m);
    return undefined;
  };
  const p = node.spawn(function* () {
    for (;;) {
      let text = eventText(yield* receiveAny()) ?? '';
      // the reports already queued go out together: a process that logs twice and dies (a
      // gen_server's report, then proc_lib's crash report) has both printed before anything its
      // death causes, as OTP's handler has them
      for (;;) {
        const more = yield* receive((m) => m, 0);
        if (more === undefined) break;
        text += eventText(more) ?? '';
      }
      if (text !== '') {
        const ref = node.makeRef();
        node.sendToPid(device, tuple(atom('io_request'), S.current.pid, ref, tuple(atom('put_chars'), atom('unicode'), charlist(text))));
        // wait for the reply so reports never overtake each other
        yield* receive((r) => (r instanceof Tuple && r.elements[0] === IO_REPLY && exactEqual(r.elements[1], ref) ? r : undefined), 5000);
      }
    }
  }, [], { groupLeader: device });
  node.register(LOGGER, p);
  return p.pid;
}

/** The VM's logger (runtime/vm/logger.ts): installed by runtime/lib/index.ts. */
export const errorLogger: Logger = {
  crash: reportCrash,
  report(title, body) {
    logText(`${legacyHeader(title)}\n${body}\n\n`);
  },
  header: (title) => legacyHeader(title),
  format: (fmt, args) => ioFormat(charlist(fmt), list(args)),
};

/** logger_proxy: where other nodes' loggers send the events of processes whose group leader is here. */
export function startLoggerProxy(): void {
  const name = atom('logger_proxy');
  if (node.whereis(name) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (!(m instanceof Tuple) || m.elements[0] !== LOG || (m.size !== 4 && m.size !== 5)) continue;
      const text = remoteEventText(m);
      if (text !== undefined) logText(text);
    }
  }, []);
  node.register(name, p);
}
