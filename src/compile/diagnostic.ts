// Compiler diagnostics: an error or warning at a line and column, worded as OTP words it.

export interface Diagnostic {
  line: number;
  col: number;
  /** the text after `file:line:col: ` (without the `Warning: ` prefix) */
  message: string;
  severity: 'error' | 'warning';
}

export function diagError(pos: { line: number; col: number }, message: string): Diagnostic {
  return { line: pos.line, col: pos.col, message, severity: 'error' };
}

export function diagWarning(pos: { line: number; col: number }, message: string): Diagnostic {
  return { line: pos.line, col: pos.col, message, severity: 'warning' };
}

/** As compile prints them: errors first, then warnings, each in source order. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic): number => (d.severity === 'error' ? 0 : 1);
  return ds
    .map((d, i) => [d, i] as const)
    .sort(
      (a, b) =>
        rank(a[0]) - rank(b[0]) ||
        a[0].line - b[0].line ||
        a[0].col - b[0].col ||
        // OTP sorts equal positions by the message's descriptor; its text orders the common ones alike
        (a[0].message < b[0].message ? -1 : a[0].message > b[0].message ? 1 : 0) ||
        a[1] - b[1],
    )
    .map(([d]) => d);
}

/**
 * One diagnostic as erlc and c/1 print it:
 *   file.erl:10:5: variable 'Y' unsafe in 'case' (line 6, column 5)
 *   %   10|     Y.
 *   %     |     ^
 * followed by an empty line. Without the source only the first line is given.
 */
export function formatDiagnostic(file: string, d: Diagnostic, source?: string): string {
  const head = `${file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'Warning: ' : ''}${d.message}\n`;
  if (source === undefined) return head;
  const lines = source.split('\n');
  const text = lines[d.line - 1];
  if (text === undefined) return head;
  const num = String(d.line).padStart(5);
  // the caret goes under column col (tabs kept so it lines up)
  const before = [...text].slice(0, d.col - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return `${head}%${num}| ${text}\n%${' '.repeat(num.length)}| ${before}^\n\n`;
}
