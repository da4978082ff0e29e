// A compiled module kept by the build (dist/lib/<mod>.json): its JavaScript and its shape, so the
// library's Erlang modules load on first call without being scanned, parsed, linted and compiled
// again, as OTP's .beam files spare the compiler. Terms (attributes) are kept in the external term
// format; records' field defaults are abstract syntax, kept as JSON (bigints tagged).

import { list, listToArray } from '../../runtime/vm/term.js';
import type { Term } from '../../runtime/vm/term.js';
import { encode, decode } from '../../runtime/vm/etf.js';
import type { RecordDef } from './context.js';
import { instantiate, type CompiledModule, type Lambda, type ModuleShape } from './module.js';
import type { CompileRuntime } from './support.js';

/** Bumped whenever the compiler's output or this format changes: a build with another is not used. */
export const PRECOMPILED_FORMAT = 2;

interface Kept {
  format: number;
  name: string;
  exports: string[];
  attributes: string;
  records: [string, RecordDef][];
  functions: [string, number][];
  lambdas: Lambda[];
  md5: string;
  uniq: number;
  js: string;
}

const BIGINT = '$bigint';

export function keepModule(m: CompiledModule): string {
  const s = m.shape;
  const kept: Kept = {
    format: PRECOMPILED_FORMAT,
    name: s.name,
    exports: s.exports,
    attributes: Buffer.from(encode(list(s.attributes))).toString('base64'),
    records: [...s.records],
    functions: s.functions,
    lambdas: s.lambdas,
    md5: Buffer.from(s.md5).toString('hex'),
    uniq: s.uniq,
    js: m.js,
  };
  return JSON.stringify(kept, (_k, v: unknown) => (typeof v === 'bigint' ? { [BIGINT]: v.toString() } : v));
}

/** The module kept in `text`, made for `file`; undefined when it was kept in another format. */
export function loadKept(text: string, file: string, rt?: CompileRuntime): CompiledModule | undefined {
  const k = JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && BIGINT in v ? BigInt((v as Record<string, string>)[BIGINT]!) : v,
  ) as Kept;
  if (k.format !== PRECOMPILED_FORMAT) return undefined;
  const shape: ModuleShape = {
    name: k.name,
    exports: k.exports,
    attributes: listToArray(decode(Buffer.from(k.attributes, 'base64')).term as Term) ?? [],
    records: new Map(k.records),
    functions: k.functions,
    lambdas: k.lambdas,
    md5: new Uint8Array(Buffer.from(k.md5, 'hex')),
    uniq: k.uniq,
  };
  return instantiate(shape, file, k.js, rt);
}
