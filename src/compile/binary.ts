// The bit syntax: <<E1:Size/Type-Sign-Endian-unit:U, ...>> built with a BinBuilder chain, and
// binary patterns read segment by segment with a BinReader (runtime/vm/bitsyntax.ts).

import type { BinElement, Expr } from '../ast.js';
import { BinBuilder } from '../../runtime/vm/bitsyntax.js';
import { CompileError, FnCtx, Label } from './context.js';
import { constJs, constValue } from './literal.js';
import { guardValue } from './guard.js';
import { compilePattern, PatternScope, simpleSubject } from './pattern.js';

export type SegKind = 'integer' | 'float' | 'binary' | 'bitstring' | 'utf8' | 'utf16' | 'utf32';

export interface SegType {
  kind: SegKind;
  signed: boolean;
  little: boolean;
  unit: number;
}

/** The type of a segment from its specifiers, with OTP's defaults. */
export function segType(el: BinElement): SegType {
  let kind: SegKind = 'integer';
  let signed = false;
  let little = false;
  let unit: number | undefined;
  for (const s of el.specs ?? []) {
    if (typeof s !== 'string') {
      unit = s.unit;
      continue;
    }
    switch (s) {
      case 'integer':
      case 'float':
      case 'binary':
      case 'bitstring':
      case 'utf8':
      case 'utf16':
      case 'utf32':
        kind = s;
        break;
      case 'bytes':
        kind = 'binary';
        break;
      case 'bits':
        kind = 'bitstring';
        break;
      case 'signed':
        signed = true;
        break;
      case 'unsigned':
        signed = false;
        break;
      case 'big':
        little = false;
        break;
      case 'little':
      case 'native': // the machines terl runs on are little-endian
        little = true;
        break;
      default:
        throw new CompileError(el.pos, `bit type ${s} undefined`);
    }
  }
  if (unit === undefined) unit = kind === 'binary' ? 8 : 1;
  return { kind, signed, little, unit };
}

function defaultSize(kind: SegKind): number | undefined {
  if (kind === 'integer') return 8;
  if (kind === 'float') return 64;
  return undefined;
}

/** A segment's size in bits as JS: a number when known, an expression otherwise, undefined for "all". */
function sizeJs(fx: FnCtx, el: BinElement, t: SegType, valueOf: (e: Expr) => string): string | undefined {
  if (el.size === undefined) {
    const d = defaultSize(t.kind);
    return d === undefined ? undefined : String(d);
  }
  const c = constValue(el.size);
  if (typeof c === 'number') return String(c * t.unit);
  if (c !== undefined && el.size.type === 'atom' && el.size.value === 'all') return undefined;
  return `H.segBits(${valueOf(el.size)}, ${t.unit})`;
}

/** JS building the binary of a <<...>> expression; valueOf compiles the segments' expressions. */
export function binConstructJs(fx: FnCtx, e: Expr & { type: 'bin' }, valueOf: (e: Expr) => string): string {
  const c = constValue(e);
  if (c !== undefined) return constJs(fx.mod, c);
  const parts: string[] = [];
  let seg = 0;
  for (const el of e.elements) {
    seg++;
    const t = segType(el);
    if (el.value.type === 'string') {
      parts.push(...stringSegments(fx, el, t, seg, valueOf));
      continue;
    }
    const v = valueOf(el.value);
    const size = sizeJs(fx, el, t, valueOf);
    switch (t.kind) {
      case 'integer':
        parts.push(`.int(${v}, ${size}, ${t.little}, ${seg})`);
        break;
      case 'float':
        parts.push(`.float(${v}, ${size}, ${t.little}, ${seg})`);
        break;
      case 'binary':
      case 'bitstring':
        parts.push(`.bin(${v}, ${size ?? 'undefined'}, ${t.unit}, ${seg})`);
        break;
      case 'utf8':
        parts.push(`.utf8(${v}, ${seg})`);
        break;
      case 'utf16':
      case 'utf32':
        parts.push(`.${t.kind}(${v}, ${t.little}, ${seg})`);
        break;
    }
  }
  return `new BinBuilder()${parts.join('')}.done()`;
}

/** "abc" in a binary: its characters as segments of the given type (bytes computed now when possible). */
function stringSegments(fx: FnCtx, el: BinElement, t: SegType, seg: number, valueOf: (e: Expr) => string): string[] {
  const s = (el.value as { value: string }).value;
  const cps = [...s].map((ch) => ch.codePointAt(0)!);
  const size = sizeJs(fx, el, t, valueOf);
  const known = size === undefined || /^\d+$/.test(size);
  if (known && t.kind !== 'binary' && t.kind !== 'bitstring') {
    const b = new BinBuilder();
    try {
      for (const cp of cps) {
        if (t.kind === 'integer') b.int(cp, Number(size), t.little, seg);
        else if (t.kind === 'float') b.float(cp, Number(size), t.little, seg);
        else if (t.kind === 'utf8') b.utf8(cp, seg);
        else b[t.kind](cp, t.little, seg);
      }
      const bin = b.done();
      return [`.bin(${constJs(fx.mod, bin)}, undefined, 1, ${seg})`];
    } catch {
      // fall through: let the run-time builder raise the error
    }
  }
  return cps.map((cp) => {
    switch (t.kind) {
      case 'float':
        return `.float(${cp}, ${size}, ${t.little}, ${seg})`;
      case 'utf8':
        return `.utf8(${cp}, ${seg})`;
      case 'utf16':
      case 'utf32':
        return `.${t.kind}(${cp}, ${t.little}, ${seg})`;
      default:
        return `.int(${cp}, ${size}, ${t.little}, ${seg})`;
    }
  });
}

/** <<...>> as a pattern against subj. */
export function compileBinPattern(fx: FnCtx, p: Expr & { type: 'bin' }, subj: string, fail: Label, scope: PatternScope): void {
  const s = simpleSubject(fx, subj);
  fx.emit(`if (!(${s} instanceof Bin)) break ${fail};`);
  const rd = fx.mod.fresh('rd');
  fx.emit(`const ${rd} = new BinReader(${s});`);
  compileBinSegments(fx, p.elements, rd, fail, scope);
  fx.emit(`if (!${rd}.atEnd()) break ${fail};`);
}

/** The segments of a binary pattern read from the reader rd (binary generators reuse this). */
export function compileBinSegments(fx: FnCtx, elements: BinElement[], rd: string, fail: Label, scope: PatternScope): void {
  elements.forEach((el, i) => {
    const t = segType(el);
    const last = i === elements.length - 1;
    if (el.value.type === 'string') {
      const cps = [...el.value.value].map((ch) => ch.codePointAt(0)!);
      if (t.kind === 'integer' && el.size === undefined) {
        const bytes = cps.map((c) => c & 0xff);
        const k = fx.mod.hoist(`Uint8Array.from(${JSON.stringify(bytes)})`, 'bytes:' + bytes.join(','));
        fx.emit(`if (!${rd}.bytesEq(${k})) break ${fail};`);
        return;
      }
      for (const cp of cps) {
        const v = readSegment(fx, el, t, rd, fail, last);
        fx.emit(`if (${v} !== ${cp}) break ${fail};`);
      }
      return;
    }
    const v = readSegment(fx, el, t, rd, fail, last);
    compilePattern(fx, el.value, v, fail, scope);
  });
}

/** Emit the read of one segment; answers the const holding its value. */
function readSegment(fx: FnCtx, el: BinElement, t: SegType, rd: string, fail: Label, last: boolean): string {
  let size: string | undefined;
  if (el.size === undefined) {
    const d = defaultSize(t.kind);
    size = d === undefined ? undefined : String(d);
  } else {
    const c = constValue(el.size);
    if (typeof c === 'number') size = String(c * t.unit);
    else {
      const g = guardValue(fx, el.size);
      const sz = fx.mod.fresh('sz');
      if (g.throws) fx.emit(`let ${sz}; try { ${sz} = H.segBits(${g.js}, ${t.unit}); } catch (_) { break ${fail}; }`);
      else fx.emit(`const ${sz} = H.segBits(${g.js}, ${t.unit});`);
      size = sz;
    }
  }
  const v = fx.mod.fresh('b');
  let read: string;
  switch (t.kind) {
    case 'integer':
      read = `${rd}.int(${size}, ${t.signed}, ${t.little})`;
      break;
    case 'float':
      read = `${rd}.float(${size}, ${t.little})`;
      break;
    case 'binary':
    case 'bitstring':
      if (size === undefined) {
        if (!last) throw new CompileError(el.pos, 'a binary field without size is only allowed at the end of a binary pattern');
        read = `${rd}.rest(${t.unit})`;
      } else read = `${rd}.bits(${size})`;
      break;
    case 'utf8':
      read = `${rd}.utf8()`;
      break;
    default:
      read = `${rd}.${t.kind}(${t.little})`;
  }
  fx.emit(`const ${v} = ${read};`);
  fx.emit(`if (${v} === undefined) break ${fail};`);
  return v;
}
