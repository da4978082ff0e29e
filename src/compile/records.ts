// Records are tuples {Name, Field1, ..., FieldN} known to the compiler: construction fills fields
// in definition order (explicit value, `_ = V`, the default, or undefined), access and update check
// the tag and size at run time ({badrecord, Value} otherwise).

import type { Expr, Pos, RecordFieldInit } from '../ast.js';
import { CompileError, ModuleCtx, RecordDef } from './context.js';

export function recordDef(mod: ModuleCtx, name: string, pos: Pos): RecordDef {
  const def = mod.records.get(name);
  if (def === undefined) throw new CompileError(pos, `record ${name} undefined`);
  return def;
}

/** The tuple index (0-based: the tag is at 0) of a field. */
export function recordFieldIndex(def: RecordDef, field: string, pos: Pos): number {
  const i = def.fields.findIndex((f) => f.name === field);
  if (i < 0) throw new CompileError(pos, `field ${field} undefined in record ${def.name}`);
  return i + 1;
}

/**
 * The expressions that make up #r{...}: one per field in definition order, each the given value,
 * the `_ = V` value, the field's default, or undefined (an atom expression).
 */
export function recordFieldExprs(def: RecordDef, inits: RecordFieldInit[], pos: Pos): Expr[] {
  const given = new Map<string, Expr>();
  let rest: Expr | undefined;
  for (const f of inits) {
    if (f.field === '_') rest = f.value;
    else given.set(f.field, f.value);
  }
  return def.fields.map(
    (fd) => given.get(fd.name) ?? rest ?? fd.default ?? ({ type: 'atom', pos, value: 'undefined' } as Expr),
  );
}
