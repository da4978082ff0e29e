// Distribution's own reports: a debug trace of connection setup, and error and warning reports
// through the VM's logger (runtime/vm/logger.ts), as net_kernel and dist_util log them.

import { appendFileSync } from 'node:fs';
import { node } from '../vm/node.js';
import { logger } from '../vm/logger.js';

/** TERL_DIST_DEBUG=1 traces connection setup and teardown on stderr; TERL_DIST_DEBUG=/a/file appends to that file. */
const debugTo = process.env.TERL_DIST_DEBUG ?? '';
export function debug(text: string): void {
  if (debugTo === '') return;
  const line = `[dist ${node.name.name} ${performance.now().toFixed(1)}] ${text}\n`;
  if (debugTo.startsWith('/')) appendFileSync(debugTo, line);
  else process.stderr.write(line);
}

function logReport(kind: 'ERROR REPORT' | 'WARNING REPORT' | 'INFO REPORT', text: string): void {
  logger().report(kind, text);
}

export function logError(text: string): void {
  logReport('ERROR REPORT', text);
}

export function logWarning(text: string): void {
  logReport('WARNING REPORT', text);
}
