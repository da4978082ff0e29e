// Record definitions for the shell's rr/1,2,3: read from source files (a .hrl, an .erl, with their
// includes) or from a loaded module's source, as erl's shell reads them from files and .beam files
// (terl's object code is the source, so a module's records come from its .erl).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseForms } from './parse.js';
import type { RecordDef } from './compile/context.js';

/** The record definitions of one source file, in the order they appear (includes in place). */
export function fileRecords(file: string, cwd: string, includePath: string[], macros: Record<string, string | undefined>): RecordDef[] | 'enoent' {
  const abs = isAbsolute(file) ? file : join(cwd, file);
  let source: string;
  try {
    source = readFileSync(abs, 'utf8');
  } catch {
    return 'enoent';
  }
  // epp looks in ".", the file's own directory, then the {i, Dir} options
  const dirs = [cwd, dirname(abs), ...includePath.map((d) => (isAbsolute(d) ? d : join(cwd, d)))];
  const { forms } = parseForms(source, file, { includePath: dirs, macros });
  const out: RecordDef[] = [];
  for (const f of forms) if (f.type === 'record') out.push({ name: f.name, fields: f.fields });
  return out;
}

/** filelib:wildcard/1 relative to cwd: `*`, `?`, `[abc]`, `{a,b}` in any path component. */
export function wildcard(pattern: string, cwd: string): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let found: string[] = [absolute ? '/' : ''];
  for (const part of absolute ? parts.slice(1) : parts) {
    const next: string[] = [];
    for (const base of found) {
      const dir = base === '' ? cwd : isAbsolute(base) ? base : join(cwd, base);
      const join1 = (name: string) => (base === '' ? name : base.endsWith('/') ? base + name : base + '/' + name);
      if (!/[*?[{]/.test(part)) {
        if (exists(join(dir, part))) next.push(join1(part));
        continue;
      }
      const re = globRegExp(part);
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        names = [];
      }
      for (const n of names.sort()) if (re.test(n) && !(n.startsWith('.') && !part.startsWith('.'))) next.push(join1(n));
    }
    found = next;
  }
  return found.filter((f) => f !== '' && f !== '/').sort();
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function globRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = part.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + part.slice(i + 1, end).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '{') {
      const end = part.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + part.slice(i + 1, end).split(',').map(escape).join('|') + ')';
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp('^' + re + '$');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
