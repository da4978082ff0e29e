// The checks erl_lint makes before compiling, with its texts: unbound and unsafe variables,
// undefined functions and records, illegal guards and patterns; warnings for unused variables,
// functions and records and for shadowed variables.
//
// Variables are tracked as erl_lint does: every expression answers a table of the variables it
// binds or uses (with their state — bound or unsafe — whether they were used, and where they were
// bound), and the tables of branches are combined: a variable bound in every clause of a case is
// usable after it; one bound in only some clauses is unsafe.

import type { BinElement, Clause, Expr, Form, Pos, Qualifier, RecordFieldDef } from '../ast.js';
import { Diagnostic, diagError, diagWarning, sortDiagnostics } from './diagnostic.js';
import { isAutoImported, isGuardBif, isGuardOp, isOldBif, isTypeTest } from './bifs.js';
import { BINARY, constValue } from './literal.js';
import { Atom } from '../../runtime/vm/term.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { exprVars } from './context.js';
import type { RecordDef } from './context.js';
import { warnInvalidCalls } from './invalid_calls.js';
import { obsolete, obsoleteWarning } from './deprecated.js';

type VarState = { k: 'bound' } | { k: 'unsafe'; tag: string; pos: Pos };

interface VarInfo {
  state: VarState;
  used: boolean;
  /** where the variable was bound (unused warnings go there) */
  annos: Pos[];
}

type Vt = Map<string, VarInfo>;

const BOUND: VarState = { k: 'bound' };

// ---------- variable tables (erl_lint's vtupdate, vtmerge, ...) ----------

function unionAnnos(a: Pos[], b: Pos[]): Pos[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = [...a];
  for (const p of b) if (!out.some((q) => q.line === p.line && q.col === p.col)) out.push(p);
  return out.sort((x, y) => x.line - y.line || x.col - y.col);
}

/** The variables of u added to vt, u's state winning. */
function vtupdate(u: Vt, vt: Vt): Vt {
  const out = new Map(vt);
  for (const [k, a] of u) {
    const b = vt.get(k);
    out.set(k, b ? { state: a.state, used: a.used || b.used, annos: unionAnnos(a.annos, b.annos) } : a);
  }
  return out;
}

/** vtupdate(u, vt) into vt itself (a table the caller owns). */
function vtupdateInto(u: Vt, vt: Vt): void {
  for (const [k, a] of u) {
    const b = vt.get(k);
    vt.set(k, b ? { state: a.state, used: a.used || b.used, annos: unionAnnos(a.annos, b.annos) } : a);
  }
}

/** vtmerge(a, b) into a itself (a table the caller owns). */
function vtmergeInto(a: Vt, b: Vt): void {
  for (const [k, y] of b) {
    const x = a.get(k);
    a.set(k, x ? { state: mergeState(x.state, y.state), used: x.used || y.used, annos: unionAnnos(x.annos, y.annos) } : y);
  }
}

function mergeState(a: VarState, b: VarState): VarState {
  if (a.k === 'unsafe') return a;
  if (b.k === 'unsafe') return b;
  return a;
}

function vtmerge(a: Vt, b: Vt): Vt {
  const out = new Map(b);
  for (const [k, x] of a) {
    const y = b.get(k);
    out.set(k, y ? { state: mergeState(x.state, y.state), used: x.used || y.used, annos: unionAnnos(x.annos, y.annos) } : x);
  }
  return out;
}

function vtmergeAll(vts: Vt[]): Vt {
  return vts.reduce((acc, vt) => vtmerge(vt, acc), new Map());
}

/** Warnings raised while merging pattern tables (set by the running linter). */
let onMatchedTwice: ((name: string, annos: Pos[]) => void) | undefined;

/**
 * Like vtmerge, but a variable in both (a repeat inside one pattern) counts as used; an
 * _Underscore variable matched twice is worth a warning.
 */
function vtmergePat(a: Vt, b: Vt): Vt {
  const out = new Map(b);
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y) {
      out.set(k, x);
      continue;
    }
    const annos = unionAnnos(x.annos, y.annos);
    const matched = !x.used && !y.used ? annos : !x.used ? x.annos : !y.used ? y.annos : undefined;
    if (matched && k.startsWith('_')) onMatchedTwice?.(k, matched);
    out.set(k, { state: mergeState(x.state, y.state), used: true, annos });
  }
  return out;
}

/** Variables of u that are not in vt. */
function vtnew(u: Vt, vt: Vt): Vt {
  const out: Vt = new Map();
  for (const [k, v] of u) if (!vt.has(k)) out.set(k, v);
  return out;
}

/** Variables of u that are in vt. */
function vtold(u: Vt, vt: Vt): Vt {
  const out: Vt = new Map();
  for (const [k, v] of u) if (vt.has(k)) out.set(k, v);
  return out;
}

function vtunsafe(tag: string, pos: Pos, u: Vt, vt: Vt): Vt {
  const out: Vt = new Map();
  for (const [k, v] of vtnew(u, vt)) out.set(k, { ...v, state: { k: 'unsafe', tag, pos } });
  return out;
}

function vtNoUnsafe(vt: Vt): Vt {
  const out: Vt = new Map();
  for (const [k, v] of vt) if (v.state.k !== 'unsafe') out.set(k, v);
  return out;
}

function vtNoUnused(vt: Vt): Vt {
  const out: Vt = new Map();
  for (const [k, v] of vt) if (v.used) out.set(k, v);
  return out;
}

function one(name: string, info: VarInfo): Vt {
  return new Map([[name, info]]);
}

// ---------- the linter ----------

/** How erl_lint quotes an atom with ~w. */
function quoteAtom(name: string): string {
  return /^[a-z][A-Za-z0-9_@]*$/.test(name) && !RESERVED.has(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const RESERVED = new Set(
  'after and andalso band begin bnot bor bsl bsr bxor case catch cond div end fun if let not of or orelse receive rem try when xor maybe else'.split(
    ' ',
  ),
);

interface Options {
  /** module mode checks local calls; the shell sends unknown calls to its commands */
  shell: boolean;
}

class Linter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  readonly records = new Map<string, RecordDef & { pos: Pos }>();
  readonly usedRecords = new Set<string>();
  /** name/arity → defined */
  readonly defined = new Map<string, Pos>();
  readonly imports = new Map<string, string>();
  readonly noAuto = new Set<string>();
  /** local calls made: callee → call positions; and the caller for reachability */
  readonly calls: { callee: string; pos: Pos; caller: string | undefined }[] = [];
  currentFn: string | undefined;

  /** warnings turned off by -compile(nowarn_...) */
  readonly nowarn = new Set<string>();
  /** {nowarn_deprecated_function, MFAs} and {nowarn_removed, Ms or MFAs}: `m:f/a`, or `m` for a whole module */
  readonly notDeprecated = new Set<string>();
  readonly notRemoved = new Set<string>();

  constructor(readonly opts: Options) {
    onMatchedTwice = (name, annos) => {
      for (const p of annos) {
        this.warn(p, `variable ${quoteAtom(name)} is bound multiple times in this pattern. If you mean to ignore this value, use '_' or a different underscore-prefixed name`);
      }
    };
  }

  error(pos: Pos, msg: string): void {
    this.errors.push(diagError(pos, msg));
  }

  warn(pos: Pos, msg: string, kind?: string): void {
    if (kind !== undefined && this.nowarn.has(kind)) return;
    this.warnings.push(diagWarning(pos, msg));
  }

  // ----- expressions -----

  exprs(es: Expr[], vt: Vt): Vt {
    let acc: Vt = new Map();
    let cur = vt;
    const tables: Vt[] = [];
    for (const e of es) {
      const evt = this.expr(e, cur);
      tables.push(evt);
      cur = vtupdate(evt, cur);
    }
    // erl_lint: vtupdate(Evt, Esvt) folded from the right
    for (let i = tables.length - 1; i >= 0; i--) acc = vtupdate(tables[i], acc);
    return acc;
  }

  exprList(es: Expr[], vt: Vt): Vt {
    let acc: Vt = new Map();
    for (const e of es) acc = vtmergePat(this.expr(e, vt), acc);
    return acc;
  }

  exprVar(name: string, pos: Pos, vt: Vt): Vt {
    const v = vt.get(name);
    if (v === undefined) {
      this.error(pos, `variable ${quoteAtom(name)} is unbound`);
      return one(name, { state: BOUND, used: true, annos: [pos] });
    }
    if (v.state.k === 'unsafe') {
      const w = v.state;
      this.error(pos, `variable ${quoteAtom(name)} unsafe in ${quoteAtom(w.tag)} (line ${w.pos.line}, column ${w.pos.col})`);
    }
    return one(name, { state: BOUND, used: true, annos: v.annos });
  }

  expr(e: Expr, vt: Vt): Vt {
    switch (e.type) {
      case 'var':
        return this.exprVar(e.name, e.pos, vt);
      case 'integer':
      case 'float':
      case 'char':
      case 'string':
      case 'atom':
      case 'nil':
        return new Map();
      case 'cons':
        return this.exprList([e.head, e.tail], vt);
      case 'tuple':
        return this.exprList(e.elements, vt);
      case 'bin':
        return this.exprBin(e.elements, vt);
      case 'map': {
        let fvt: Vt = new Map();
        for (const a of e.assocs) {
          if (a.op === ':=' && e.base === undefined) this.error(a.pos, 'only association operators \'=>\' are allowed in map construction');
          fvt = vtupdate(this.exprList([a.key, a.value], vt), fvt);
        }
        if (e.base === undefined) return fvt;
        return vtupdate(this.expr(e.base, vt), fvt);
      }
      case 'record': {
        const rvt = e.base ? this.expr(e.base, vt) : new Map<string, VarInfo>();
        const def = this.checkRecord(e.pos, e.name);
        if (!def) return rvt;
        let fvt: Vt = new Map();
        const seen = new Set<string>();
        for (const f of e.fields) {
          if (f.field !== '_') {
            if (!def.fields.some((d) => d.name === f.field)) this.error(f.pos, `field ${quoteAtom(f.field)} undefined in record ${quoteAtom(e.name)}`);
            else if (seen.has(f.field)) this.error(f.pos, `field ${quoteAtom(f.field)} already defined in record ${quoteAtom(e.name)}`);
            seen.add(f.field);
          } else if (e.base) this.error(f.pos, `record ${quoteAtom(e.name)}: wildcard in update`);
          fvt = vtmergePat(this.expr(f.value, vt), fvt);
        }
        return vtmerge(rvt, fvt);
      }
      case 'record_field': {
        const rvt = this.expr(e.expr, vt);
        const def = this.checkRecord(e.pos, e.name);
        if (def && !def.fields.some((d) => d.name === e.field)) this.error(fieldPos(e.pos, e.name), `field ${quoteAtom(e.field)} undefined in record ${quoteAtom(e.name)}`);
        return rvt;
      }
      case 'record_index': {
        const def = this.checkRecord(e.pos, e.name);
        if (def && !def.fields.some((d) => d.name === e.field)) this.error(fieldPos(e.pos, e.name), `field ${quoteAtom(e.field)} undefined in record ${quoteAtom(e.name)}`);
        return new Map();
      }
      case 'block':
        return this.exprs(e.body, vt);
      case 'if':
        return this.icrtClauses(e.clauses, 'if', e.pos, vt);
      case 'case': {
        const evt = this.expr(e.expr, vt);
        const cvt = this.icrtClauses(e.clauses, 'case', e.pos, vtupdate(evt, vt));
        return vtmerge(evt, cvt);
      }
      case 'receive': {
        if (!e.after) return this.icrtClauses(e.clauses, 'receive', e.pos, vt);
        const tvt = this.expr(e.after.timeout, vt);
        const tevt = this.exprs(e.after.body, vt);
        const cvts = e.clauses.map((c) => this.icrtClause(c, vt));
        const rvt = this.icrtExport([tevt, ...cvts], vt, 'receive', e.pos);
        return vtmergeAll([tvt, tevt, rvt]);
      }
      case 'fun':
        if (e.name !== undefined) return this.namedFun(e.name, e.pos, e.clauses, vt);
        return this.funClauses(e.clauses, vt);
      case 'fun_ref': {
        if (e.module === undefined) {
          const name = (e.name as { value?: string }).value;
          const arity = (e.arity as { value?: number }).value;
          if (typeof name === 'string' && typeof arity === 'number' && !this.opts.shell) {
            const key = name + '/' + arity;
            if (!this.defined.has(key) && !isAutoImported(name, arity)) this.callFunction(e.pos, key);
            else if (this.defined.has(key)) this.callFunction(e.pos, key);
          }
          return new Map();
        }
        return this.exprList([e.module, e.name, e.arity], vt);
      }
      case 'call':
        return this.call(e, vt);
      case 'try':
        return this.tryExpr(e, vt);
      case 'catch': {
        const evt = this.expr(e.expr, vt);
        return vtupdate(vtunsafe('catch', e.pos, evt, vt), evt);
      }
      case 'match': {
        // P1 = P2 = ... = E, taken from the inside out as nested matches are, but in one table
        // updated in place: a chain of 10,000 costs its length, not its length squared
        const pats: Expr[] = [];
        let right: Expr = e;
        while (right.type === 'match') {
          pats.push(right.left);
          right = right.right;
        }
        const r: Vt = new Map(this.expr(right, vt));
        for (let i = pats.length - 1; i >= 0; i--) {
          // the pattern looks up its own variables only
          const mine = new Set<string>();
          exprVars(pats[i], mine);
          const seen: Vt = new Map();
          for (const v of mine) if (r.has(v)) seen.set(v, r.get(v)!);
          const base = vtupdate(seen, vt);
          const [pvt, pnew] = this.pattern(pats[i], base, base);
          vtmergeInto(r, pvt);
          vtupdateInto(pnew, r);
        }
        return r;
      }
      case 'op': {
        if (e.args.length === 1) return this.expr(e.args[0], vt);
        if (e.op === 'andalso' || e.op === 'orelse') {
          const evt1 = this.expr(e.args[0], vt);
          const vt1 = vtupdate(evt1, vt);
          const evt2 = this.expr(e.args[1], vt1);
          const evt3 = vtupdate(vtunsafe(e.op, e.pos, evt2, vt1), evt2);
          return vtmerge(evt1, evt3);
        }
        return this.exprList(e.args, vt);
      }
      case 'lc':
      case 'bc':
        return this.comprehension(e.expr, e.quals, vt);
      case 'remote':
        this.error(e.pos, 'illegal expression');
        return new Map();
    }
  }

  exprBin(els: BinElement[], vt: Vt): Vt {
    let acc: Vt = new Map();
    for (const el of els) {
      let v = this.expr(el.value, vt);
      if (el.size) v = vtmergePat(this.expr(el.size, vt), v);
      this.checkBitType(el);
      acc = vtmergePat(v, acc);
    }
    return acc;
  }

  checkBitType(el: BinElement): void {
    for (const s of el.specs ?? []) {
      if (typeof s !== 'string') continue;
      if (!BIT_TYPES.has(s)) this.error(el.pos, `bit type ${quoteAtom(s)} undefined`);
    }
  }

  call(e: Expr & { type: 'call' }, vt: Vt): Vt {
    const f = e.fn;
    const n = e.args.length;
    if (f.type === 'atom') {
      const asvt = this.exprList(e.args, vt);
      const key = f.value + '/' + n;
      if (f.value === 'is_record' && n === 2 && e.args[1].type === 'atom') {
        this.checkRecordExists(e.args[1].pos, e.args[1].value);
      }
      if (f.value === 'record_info' && n === 2 && !this.defined.has(key)) {
        const [what, rec] = e.args;
        if (what.type === 'atom' && (what.value === 'size' || what.value === 'fields') && rec.type === 'atom') {
          this.checkRecordExists(e.pos, rec.value);
          return new Map();
        }
        this.error(e.pos, 'illegal record info');
        return asvt;
      }
      const local = this.defined.has(key);
      const imported = this.imports.get(key);
      if (!local && imported !== undefined) {
        this.obsoleteCall(e.pos, imported, f.value, n);
        return asvt;
      }
      if (!local && isAutoImported(f.value, n) && !this.noAuto.has(key)) {
        if (!this.opts.shell) this.obsoleteCall(e.pos, 'erlang', f.value, n);
        return asvt;
      }
      if (this.opts.shell) return asvt;
      if (local && isAutoImported(f.value, n) && !this.noAuto.has(key)) {
        const text =
          `ambiguous call of overridden ${isOldBif(f.value, n) ? 'pre R14 ' : ''}auto-imported BIF ${quoteAtom(f.value)}/${n}\n` +
          ` - use erlang:${quoteAtom(f.value)}/${n} or "-compile({no_auto_import,[${quoteAtom(f.value)}/${n}]})." to resolve name clash`;
        if (isOldBif(f.value, n)) this.error(e.pos, text);
        else this.warn(e.pos, text, 'bif_clash');
      }
      if (key !== this.currentFn || !local) this.callFunction(f.pos, key);
      return asvt;
    }
    if (f.type === 'remote') {
      if (f.module.type === 'atom' && f.name.type === 'atom') {
        if (!this.opts.shell) this.obsoleteCall(e.pos, f.module.value, f.name.value, n);
        return this.exprList(e.args, vt);
      }
      return this.exprList([f.module, f.name, ...e.args], vt);
    }
    return this.exprList([f, ...e.args], vt);
  }

  /** erl_lint's deprecated_function: a call to what OTP has deprecated or removed is warned of */
  obsoleteCall(pos: Pos, m: string, f: string, a: number): void {
    const o = obsolete(m, f, a);
    if (o === undefined) return;
    const mfa = `${m}:${f}/${a}`;
    if (o.kind === 'deprecated' && (this.nowarn.has('deprecated_function') || this.notDeprecated.has(mfa))) return;
    if (o.kind === 'removed' && (this.nowarn.has('removed') || this.notRemoved.has(m) || this.notRemoved.has(mfa))) return;
    this.warn(pos, obsoleteWarning(o, `${quoteAtom(m)}:${quoteAtom(f)}/${a}`));
  }

  callFunction(pos: Pos, key: string): void {
    this.calls.push({ callee: key, pos, caller: this.currentFn });
  }

  tryExpr(e: Expr & { type: 'try' }, vt: Vt): Vt {
    const evt0 = this.exprs(e.body, vt);
    const uvt = vtunsafe('try', e.pos, evt0, vt);
    const vtIn = vtupdate(evt0, vt);
    const ofVts = e.clauses.map((c) => this.icrtClause(c, vtIn));
    const catchVts = e.catchClauses.map((c) => this.icrtClause(c, vtupdate(uvt, vtIn)));
    const sccs = this.icrtExport([...ofVts, ...catchVts], vtIn, 'try', e.pos);
    const evt1 = vtupdate(uvt, evt0);
    const rvt1 = vtupdate(vtunsafe('try', e.pos, sccs, vt), sccs);
    const evt2 = vtmerge(evt1, rvt1);
    const avt0 = this.exprs(e.after, vtupdate(evt2, vt));
    const avt1 = vtupdate(vtunsafe('try', e.pos, avt0, vt), avt0);
    return vtmerge(evt2, avt1);
  }

  // ----- clauses -----

  icrtClauses(cs: Clause[], tag: string, pos: Pos, vt: Vt): Vt {
    const vts = cs.map((c) => this.icrtClause(c, vt));
    return this.icrtExport(vts, vt, tag, pos);
  }

  icrtClause(c: Clause, vt0: Vt): Vt {
    const [hvt, hnew] = this.head(c.patterns, vt0, vt0);
    const vt1 = vtupdate(hvt, hnew);
    const gvt = this.guard(c.guards, vtupdate(vt1, vt0));
    const vt2 = vtupdate(gvt, vt1);
    const bvt = this.exprs(c.body, vtupdate(vt2, vt0));
    return vtupdate(bvt, vt2);
  }

  /** Combine the tables of the clauses of one construct: bound in all → usable after; in some → unsafe. */
  icrtExport(vts: Vt[], vt: Vt, tag: string, pos: Pos): Vt {
    const names = new Set<string>();
    for (const t of vts) for (const k of t.keys()) names.add(k);
    const out: Vt = new Map();
    for (const name of [...names].sort()) {
      const old = vt.get(name);
      if (old !== undefined) {
        out.set(name, { state: BOUND, used: true, annos: old.annos });
        continue;
      }
      let count = 0;
      let state: VarState = BOUND;
      let unusedAnnos: Pos[] = [];
      for (const t of vts) {
        const v = t.get(name);
        if (v === undefined) continue;
        count++;
        if (v.state.k === 'unsafe') state = state.k === 'unsafe' ? { k: 'unsafe', tag, pos } : v.state;
        if (!v.used) unusedAnnos = unionAnnos(unusedAnnos, v.annos);
      }
      if (count !== vts.length) state = { k: 'unsafe', tag, pos };
      out.set(name, { state, used: unusedAnnos.length === 0, annos: unusedAnnos });
    }
    return out;
  }

  funClauses(cs: Clause[], vt: Vt): Vt {
    let bvt: Vt = new Map();
    for (const c of cs) bvt = vtmerge(this.funClause(c, vt), bvt);
    return vtNoUnsafe(vtNoUnused(vtold(bvt, vt)));
  }

  funClause(c: Clause, vt0: Vt): Vt {
    const [hvt, hnew] = this.head(c.patterns, vt0, new Map());
    const vt1 = vtupdate(hvt, vt0);
    this.shadowVars(hnew, vt0, "'fun'");
    const vt2 = vtupdate(hnew, subtract(vt1, hnew));
    const gvt = this.guard(c.guards, vt2);
    const vt3 = vtupdate(gvt, vt2);
    const bvt = this.exprs(c.body, vt3);
    const cvt = vtupdate(bvt, vt3);
    this.checkUnusedVars(cvt, vt0);
    const svt = vtold(vt1, hnew);
    this.checkOldUnusedVars(cvt, svt);
    const vt4 = vtmerge(svt, subtract(cvt, svt));
    return vtold(vt4, vt0);
  }

  namedFun(name: string, pos: Pos, cs: Clause[], vt: Vt): Vt {
    const nvt0 = one(name, { state: BOUND, used: false, annos: [pos] });
    this.shadowVars(nvt0, vt, "'named fun'");
    const nvt1 = vtupdate(nvt0, subtract(vt, nvt0));
    const csvt = this.funClauses(cs, nvt1);
    this.checkUnusedVars(vtupdate(csvt, nvt0), new Map());
    return vtold(csvt, vt);
  }

  comprehension(e: Expr, qs: Qualifier[], vt0: Vt): Vt {
    let vt = vt0;
    let uvt: Vt = new Map();
    for (const q of qs) {
      if (q.type === 'filter') {
        const fvt = this.expr(q.expr, vt);
        vt = vtupdate(fvt, vt);
        continue;
      }
      const evt = this.expr(q.expr, vt);
      const vt1 = vtupdate(vtold(evt, vt), vt);
      this.checkUnusedVars(evt, vt);
      const [pvt, pnew] = this.pattern(q.pattern, vt1, new Map());
      const vt2 = vtupdate(pvt, vt1);
      this.shadowVars(pnew, vt1, 'generate');
      const svt = vtold(vt2, pnew);
      this.checkOldUnusedVars(svt, uvt);
      uvt = vtupdate(vtnew(svt, uvt), uvt);
      vt = vtupdate(pnew, subtract(vt2, pnew));
    }
    const evt = this.expr(e, vt);
    const vt2 = vtupdate(evt, vt);
    this.checkOldUnusedVars(vt2, uvt);
    this.checkUnusedVars(uvt, vt0);
    this.checkUnusedVars(vt2, vt0);
    const vt3 = vtmerge(subtract(vt2, uvt), uvt);
    return vtNoUnsafe(vtNoUnused(vtold(vt3, vt0)));
  }

  // ----- patterns -----

  head(ps: Expr[], vt: Vt, old: Vt): [Vt, Vt] {
    let pvt: Vt = new Map();
    let pnew: Vt = new Map();
    for (const p of ps) {
      const [a, b] = this.pattern(p, vt, old);
      pvt = vtmergePat(a, pvt);
      pnew = vtmergePat(b, pnew);
    }
    return [pvt, pnew];
  }

  /** [uses of known variables, new variables] */
  pattern(p: Expr, vt: Vt, old: Vt): [Vt, Vt] {
    switch (p.type) {
      case 'var': {
        if (p.name === '_') return [new Map(), new Map()];
        const v = old.get(p.name);
        if (v === undefined) return [new Map(), one(p.name, { state: BOUND, used: false, annos: [p.pos] })];
        if (v.state.k === 'unsafe') {
          const w = v.state;
          this.error(p.pos, `variable ${quoteAtom(p.name)} unsafe in ${quoteAtom(w.tag)} (line ${w.pos.line}, column ${w.pos.col})`);
        } else if (p.name.startsWith('_')) {
          this.warn(p.pos, `variable ${quoteAtom(p.name)} is already bound. If you mean to ignore this value, use '_' or a different underscore-prefixed name`);
        }
        return [one(p.name, { state: BOUND, used: true, annos: v.annos }), new Map()];
      }
      case 'integer':
      case 'float':
      case 'char':
      case 'string':
      case 'atom':
      case 'nil':
        return [new Map(), new Map()];
      case 'cons':
        return this.patternList([p.head, p.tail], vt, old);
      case 'tuple':
        return this.patternList(p.elements, vt, old);
      case 'match':
        return this.patternList([p.left, p.right], vt, old);
      case 'map': {
        let pvt: Vt = new Map();
        let pnew: Vt = new Map();
        for (const a of p.assocs) {
          if (a.op === '=>') this.error(a.pos, 'illegal pattern');
          pvt = vtmergePat(this.expr(a.key, vt), pvt);
          const [x, y] = this.pattern(a.value, vt, old);
          pvt = vtmergePat(x, pvt);
          pnew = vtmergePat(y, pnew);
        }
        return [pvt, pnew];
      }
      case 'record': {
        const def = this.checkRecord(p.pos, p.name);
        if (!def) return [new Map(), new Map()];
        for (const f of p.fields) {
          if (f.field !== '_' && !def.fields.some((d) => d.name === f.field)) {
            this.error(f.pos, `field ${quoteAtom(f.field)} undefined in record ${quoteAtom(p.name)}`);
          }
        }
        return this.patternList(
          p.fields.map((f) => f.value),
          vt,
          old,
        );
      }
      case 'record_index': {
        const def = this.checkRecord(p.pos, p.name);
        if (def && !def.fields.some((d) => d.name === p.field)) this.error(p.pos, `field ${quoteAtom(p.field)} undefined in record ${quoteAtom(p.name)}`);
        return [new Map(), new Map()];
      }
      case 'bin': {
        let pvt: Vt = new Map();
        let pnew: Vt = new Map();
        p.elements.forEach((el, i) => {
          this.checkBitType(el);
          if (el.size) {
            // the size may use variables bound earlier in this pattern
            const sizeVt = vtupdate(pnew, vt);
            pvt = vtmergePat(this.sizeVars(el.size, sizeVt, pnew), pvt);
          } else if (i < p.elements.length - 1 && isUnsizedBinary(el)) {
            this.error(el.pos, 'a binary field without size is only allowed at the end of a binary pattern');
          }
          if (el.value.type === 'string') return;
          const [x, y] = this.pattern(el.value, vt, old);
          pvt = vtmergePat(x, pvt);
          pnew = vtmergePat(y, pnew);
        });
        return [pvt, pnew];
      }
      case 'op': {
        if (p.op === '++' && isLiteralPrefix(p.args[0])) return this.pattern(p.args[1], vt, old);
        if (constValue(p) === undefined) this.error(p.pos, 'illegal pattern');
        return [new Map(), new Map()];
      }
      default:
        if (constValue(p) === undefined) this.error(p.pos, 'illegal pattern');
        return [new Map(), new Map()];
    }
  }

  patternList(ps: Expr[], vt: Vt, old: Vt): [Vt, Vt] {
    let pvt: Vt = new Map();
    let pnew: Vt = new Map();
    for (const p of ps) {
      const [a, b] = this.pattern(p, vt, old);
      pvt = vtmergePat(a, pvt);
      pnew = vtmergePat(b, pnew);
    }
    return [pvt, pnew];
  }

  /** Variables in a bit size expression: they must be bound (earlier in the pattern counts). */
  sizeVars(e: Expr, vt: Vt, pnew: Vt): Vt {
    const out: Vt = new Map();
    const walk = (x: Expr): void => {
      if (x.type === 'var') {
        const v = vt.get(x.name) ?? pnew.get(x.name);
        if (v === undefined) {
          this.error(x.pos, `variable ${quoteAtom(x.name)} is unbound`);
          out.set(x.name, { state: BOUND, used: true, annos: [x.pos] });
        } else if (!pnew.has(x.name)) out.set(x.name, { state: BOUND, used: true, annos: v.annos });
        else pnew.set(x.name, { ...v, used: true });
        return;
      }
      if (x.type === 'op') x.args.forEach(walk);
      else if (x.type === 'call') x.args.forEach(walk);
    };
    walk(e);
    return out;
  }

  // ----- guards -----

  guard(gs: Expr[][], vt: Vt): Vt {
    let acc: Vt = new Map();
    for (const conj of gs) {
      for (const t of conj) {
        const tvt = this.gexpr(t, vtupdate(acc, vt));
        acc = vtupdate(tvt, acc);
      }
    }
    return acc;
  }

  gexprList(es: Expr[], vt: Vt): Vt {
    let acc: Vt = new Map();
    for (const e of es) acc = vtmergePat(this.gexpr(e, vt), acc);
    return acc;
  }

  /** A guard expression: like expr, but only guard BIFs and operators; the error is at the illegal part. */
  gexpr(e: Expr, vt: Vt): Vt {
    switch (e.type) {
      case 'var':
        return this.exprVar(e.name, e.pos, vt);
      case 'integer':
      case 'float':
      case 'char':
      case 'string':
      case 'atom':
      case 'nil':
        return new Map();
      case 'cons':
        return this.gexprList([e.head, e.tail], vt);
      case 'tuple':
        return this.gexprList(e.elements, vt);
      case 'map': {
        let fvt: Vt = new Map();
        for (const a of e.assocs) {
          if (a.op === ':=' && e.base === undefined) this.error(a.pos, "only association operators '=>' are allowed in map construction");
          fvt = vtupdate(this.gexprList([a.key, a.value], vt), fvt);
        }
        return e.base === undefined ? fvt : vtmerge(this.gexpr(e.base, vt), fvt);
      }
      case 'record_index':
      case 'record_field':
      case 'record':
        if (e.type === 'record' && e.base !== undefined) {
          this.error(e.pos, 'illegal guard expression');
          return new Map();
        }
        return this.expr(e, vt);
      case 'bin': {
        let acc: Vt = new Map();
        for (const el of e.elements) {
          let v = this.gexpr(el.value, vt);
          if (el.size) v = vtmergePat(this.gexpr(el.size, vt), v);
          this.checkBitType(el);
          acc = vtmergePat(v, acc);
        }
        return acc;
      }
      case 'call': {
        const f = e.fn;
        const n = e.args.length;
        if (f.type === 'atom') {
          const asvt = this.gexprList(e.args, vt);
          const key = f.value + '/' + n;
          if (f.value === 'is_record' && n === 2 && e.args[1].type === 'atom') {
            this.checkRecordExists(e.args[1].pos, e.args[1].value);
            return asvt;
          }
          if ((isGuardBif(f.value, n) || isTypeTest(f.value, n)) && !this.defined.has(key) && !this.noAuto.has(key)) return asvt;
          if (this.defined.has(key) || this.imports.has(key)) this.error(e.pos, `call to local/imported function ${quoteAtom(f.value)}/${n} is illegal in guard`);
          else this.error(e.pos, 'illegal guard expression');
          return asvt;
        }
        if (f.type === 'remote' && f.module.type === 'atom' && f.module.value === 'erlang' && f.name.type === 'atom') {
          const asvt = this.gexprList(e.args, vt);
          const name = f.name.value;
          if (!(isGuardBif(name, n) || isTypeTest(name, n) || (isGuardOp(name) && n <= 2))) this.error(e.pos, 'illegal guard expression');
          return asvt;
        }
        this.error(firstPos(e), 'illegal guard expression');
        return new Map();
      }
      case 'op': {
        if (e.op === 'andalso' || e.op === 'orelse') return this.gexprList(e.args, vt);
        const avt = this.gexprList(e.args, vt);
        if (!isGuardOp(e.op) || e.op === 'andalso' || e.op === 'orelse') this.error(e.pos, 'illegal guard expression');
        return avt;
      }
      default:
        this.error(e.pos, 'illegal guard expression');
        return new Map();
    }
  }

  // ----- warnings about variables -----

  /** Variables new in vt (not in vt0) that were never used. */
  checkUnusedVars(vt: Vt, vt0: Vt): void {
    for (const [name, v] of vt) {
      if (v.used || vt0.has(name) || name.startsWith('_')) continue;
      for (const p of v.annos) this.warn(p, `variable ${quoteAtom(name)} is unused`, 'unused_vars');
      v.used = true;
    }
  }

  /** Variables of vt that are also in vt0 (shadowing ones) that were never used. */
  checkOldUnusedVars(vt: Vt, vt0: Vt): void {
    for (const [name, v] of vtold(vt, vt0)) {
      if (v.used || name.startsWith('_')) continue;
      for (const p of v.annos) this.warn(p, `variable ${quoteAtom(name)} is unused`, 'unused_vars');
      v.used = true;
    }
  }

  shadowVars(vt: Vt, vt0: Vt, where: string): void {
    const safe = vtNoUnsafe(vt0);
    for (const [name, v] of vt) {
      if (safe.has(name) && v.annos.length > 0) this.warn(v.annos[0], `variable ${quoteAtom(name)} shadowed in ${where}`, 'shadow_vars');
    }
  }

  // ----- records -----

  checkRecord(pos: Pos, name: string): (RecordDef & { pos: Pos }) | undefined {
    const def = this.records.get(name);
    if (!def) {
      this.error(pos, `record ${quoteAtom(name)} undefined`);
      return undefined;
    }
    this.usedRecords.add(name);
    return def;
  }

  checkRecordExists(pos: Pos, name: string): void {
    this.checkRecord(pos, name);
  }

  defineRecord(pos: Pos, name: string, fields: RecordFieldDef[]): void {
    if (this.records.has(name)) {
      this.error(pos, `record ${quoteAtom(name)} already defined`);
      return;
    }
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) this.error(f.pos, `field ${quoteAtom(f.name)} already defined in record ${quoteAtom(name)}`);
      seen.add(f.name);
      // defaults may not use variables
      if (f.default) {
        const fvt = this.expr(f.default, new Map());
        void fvt;
      }
    }
    this.records.set(name, { name, fields, pos });
  }
}

/**
 * Where the field name of #r.f / E#r.f is: the AST keeps the position of '#' only, and the field
 * name follows `#r.` (written without spaces, as everyone does).
 */
function fieldPos(hash: Pos, record: string): Pos {
  return { line: hash.line, col: hash.col + quoteAtom(record).length + 2 };
}

/** The leftmost position of an expression (erl_parse:first_anno). */
function firstPos(e: Expr): Pos {
  switch (e.type) {
    case 'call':
      return firstPos(e.fn);
    case 'remote':
      return firstPos(e.module);
    case 'op':
      return e.args.length === 2 ? firstPos(e.args[0]) : e.pos;
    case 'match':
      return firstPos(e.left);
    case 'record_field':
      return firstPos(e.expr);
    default:
      return e.pos;
  }
}

/** The left side of ++ in a pattern: a string, or a list of character/integer literals. */
function isLiteralPrefix(e: Expr): boolean {
  if (e.type === 'string' || e.type === 'nil') return true;
  if (e.type === 'cons') return (e.head.type === 'integer' || e.head.type === 'char') && isLiteralPrefix(e.tail);
  return false;
}

function subtract(a: Vt, b: Vt): Vt {
  return vtnew(a, b);
}

function isUnsizedBinary(el: BinElement): boolean {
  return (el.specs ?? []).some((s) => s === 'binary' || s === 'bytes' || s === 'bits' || s === 'bitstring');
}

const BIT_TYPES = new Set([
  'integer',
  'float',
  'binary',
  'bytes',
  'bitstring',
  'bits',
  'utf8',
  'utf16',
  'utf32',
  'signed',
  'unsigned',
  'big',
  'little',
  'native',
]);

export interface LintResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Lint a module's forms. */
/** What a module's forms declare, as lint needs it. */
interface Declarations {
  moduleSeen: boolean;
  exports: { key: string; pos: Pos }[];
  exportAll: boolean;
  exportAllAt: Pos | undefined;
  behaviours: { name: string; pos: Pos }[];
  fns: (Form & { type: 'function' })[];
  onLoad: string | undefined;
  /** records defined by included files: erl_lint warns of unused records only for the module's own file's */
  includedRecords: Set<string>;
}

/** erl_lint on a module, in four phases: its declarations, its functions, its calls, what is left unused or missing. */
export function lintModule(forms: Form[], _file: string): LintResult {
  const L = new Linter({ shell: false });
  const d = declarations(L, forms);
  lintFunctions(L, d.fns);
  checkCalls(L, d);
  checkUnused(L, d);
  return { errors: sortDiagnostics(L.errors), warnings: sortDiagnostics(L.warnings) };
}

/** Phase 1: the module's declarations (exports, imports, compile options, records, behaviours), each function defined once. */
function declarations(L: Linter, forms: Form[]): Declarations {
  const d: Declarations = { moduleSeen: false, exports: [], exportAll: false, exportAllAt: undefined, behaviours: [], fns: [], onLoad: undefined, includedRecords: new Set() };
  let mainFile: string | undefined;
  let currentFile: string | undefined;
  for (const f of forms) {
    switch (f.type) {
      case 'module':
        d.moduleSeen = true;
        break;
      case 'export':
        for (const [n, a] of f.functions) d.exports.push({ key: n + '/' + a, pos: f.pos });
        break;
      case 'import':
        for (const [n, a] of f.functions) L.imports.set(n + '/' + a, f.module);
        break;
      case 'compile': {
        const opts = constValue(f.options);
        const items: unknown[] = [];
        let t: unknown = opts;
        if (t && typeof t === 'object' && 'head' in t) {
          while (t && typeof t === 'object' && 'head' in t) {
            items.push((t as { head: unknown }).head);
            t = (t as unknown as { tail: unknown }).tail;
          }
        } else items.push(opts);
        for (const o of items) {
          const name = (o as { name?: string })?.name;
          if (name === 'export_all') {
            d.exportAll = true;
            d.exportAllAt = f.pos;
          }
          if (name?.startsWith('nowarn_')) L.nowarn.add(name.slice(7));
          const els = (o as { elements?: unknown[] })?.elements;
          if (els && (els[0] as { name?: string })?.name === 'nowarn_unused_record') {
            // {nowarn_unused_record, [Name...]}: those records only
            for (let l: unknown = els[1]; l && typeof l === 'object' && 'head' in l; l = (l as unknown as { tail: unknown }).tail) {
              const r = (l as { head: { name?: string } }).head.name;
              if (r !== undefined) L.usedRecords.add(r);
            }
          }
          const tag = (els?.[0] as { name?: string } | undefined)?.name;
          if (els && (tag === 'nowarn_deprecated_function' || tag === 'nowarn_removed')) {
            // {nowarn_deprecated_function, MFAs}, {nowarn_removed, Ms or MFAs}: one item or a list
            const into = tag === 'nowarn_removed' ? L.notRemoved : L.notDeprecated;
            const item = (x: unknown) => {
              if (x instanceof Atom) into.add(x.name);
              const mfa = (x as { elements?: unknown[] })?.elements;
              if (mfa?.length === 3 && mfa[0] instanceof Atom && mfa[1] instanceof Atom) into.add(`${mfa[0].name}:${mfa[1].name}/${String(mfa[2])}`);
            };
            let l: unknown = els[1];
            if (l && typeof l === 'object' && 'head' in l) {
              for (; l && typeof l === 'object' && 'head' in l; l = (l as unknown as { tail: unknown }).tail) item((l as { head: unknown }).head);
            } else item(l);
          }
          if (els && (els[0] as { name?: string })?.name === 'no_auto_import') {
            let l: unknown = els[1];
            while (l && typeof l === 'object' && 'head' in l) {
              const fa = (l as { head: { elements?: unknown[] } }).head.elements;
              if (fa) L.noAuto.add((fa[0] as { name: string }).name + '/' + String(fa[1]));
              l = (l as unknown as { tail: unknown }).tail;
            }
          }
        }
        break;
      }
      case 'record':
        L.defineRecord(f.pos, f.name, f.fields);
        if (currentFile !== mainFile) d.includedRecords.add(f.name);
        break;
      case 'attribute':
        if (f.name === 'file' && f.value?.type === 'tuple' && f.value.elements[0].type === 'string') {
          currentFile = f.value.elements[0].value;
          mainFile ??= currentFile;
        }
        if ((f.name === 'behaviour' || f.name === 'behavior') && f.value?.type === 'atom') d.behaviours.push({ name: f.value.value, pos: f.pos });
        if (f.name === 'on_load' && f.value && f.value.type === 'op' && f.value.op === '/') {
          const [n, a] = f.value.args;
          if (n.type === 'atom' && a.type === 'integer') d.onLoad = n.value + '/' + String(a.value);
        }
        break;
      case 'function': {
        const key = f.name + '/' + f.arity;
        if (L.defined.has(key)) L.error(f.pos, `function ${quoteAtom(f.name)}/${f.arity} already defined`);
        else L.defined.set(key, f.pos);
        d.fns.push(f);
        break;
      }
    }
  }
  if (!d.moduleSeen) L.error(forms[0]?.pos ?? { line: 1, col: 1 }, 'no module definition');
  if (d.exportAllAt) L.warn(d.exportAllAt, 'export_all flag enabled - all functions will be exported', 'export_all');
  return d;
}

/** Phase 2: each function's clauses: heads, guards and bodies, with their variables. */
function lintFunctions(L: Linter, fns: (Form & { type: 'function' })[]): void {
  for (const f of fns) {
    L.currentFn = f.name + '/' + f.arity;
    for (const c of f.clauses) {
      const [hvt, hnew] = L.head(c.patterns, new Map(), new Map());
      const vt1 = vtupdate(hvt, vtupdate(hnew, new Map()));
      const gvt = L.guard(c.guards, vt1);
      const vt2 = vtupdate(gvt, vt1);
      const bvt = L.exprs(c.body, vt2);
      L.checkUnusedVars(vtupdate(bvt, vt2), new Map());
    }
  }
  L.currentFn = undefined;
}

/** Phase 3: exported and called functions that are not defined. */
function checkCalls(L: Linter, d: Declarations): void {
  for (const e of d.exports) {
    if (!L.defined.has(e.key)) {
      const [n, a] = splitKey(e.key);
      L.error(e.pos, `function ${quoteAtom(n)}/${a} undefined`);
    }
  }
  for (const c of L.calls) {
    if (!L.defined.has(c.callee)) {
      const [n, a] = splitKey(c.callee);
      L.error(c.pos, `function ${quoteAtom(n)}/${a} undefined`);
    }
  }
}

/** Phase 4: functions and records never used, behaviour callbacks not exported, values computed for nothing. */
function checkUnused(L: Linter, d: Declarations): void {
  // functions not reachable from the exports (or on_load) are unused
  if (!d.exportAll) {
    const reached = new Set<string>();
    const work = d.exports.map((e) => e.key);
    if (d.onLoad) work.push(d.onLoad);
    const callsFrom = new Map<string, string[]>();
    for (const c of L.calls) {
      if (c.caller === undefined) continue;
      let l = callsFrom.get(c.caller);
      if (!l) callsFrom.set(c.caller, (l = []));
      l.push(c.callee);
    }
    while (work.length) {
      const k = work.pop()!;
      if (reached.has(k)) continue;
      reached.add(k);
      for (const c of callsFrom.get(k) ?? []) work.push(c);
    }
    for (const f of d.fns) {
      const key = f.name + '/' + f.arity;
      if (!reached.has(key) && L.defined.get(key) === f.pos) L.warn(f.pos, `function ${quoteAtom(f.name)}/${f.arity} is unused`, 'unused_function');
    }
  }
  // callbacks a behaviour requires that the module does not export
  const exported = new Set(d.exportAll ? [...L.defined.keys()] : d.exports.map((e) => e.key));
  const requiredBy = new Map<string, { name: string; pos: Pos }>();
  for (const b of d.behaviours) {
    for (const k of BEHAVIOUR_CALLBACKS[b.name] ?? []) {
      const first = requiredBy.get(k);
      if (first === undefined) requiredBy.set(k, b);
      else if (first.name !== b.name) {
        const [n, a] = splitKey(k);
        L.warn(
          b.pos,
          `conflicting behaviours - callback ${quoteAtom(n)}/${a} required by both ${quoteAtomAlways(b.name)} and ${quoteAtomAlways(first.name)} (line ${first.pos.line}, column ${first.pos.col})`,
        );
      }
    }
  }
  for (const b of d.behaviours) {
    const missing = (BEHAVIOUR_CALLBACKS[b.name] ?? []).filter((k) => !exported.has(k)).sort();
    for (const k of missing) {
      const [n, a] = splitKey(k);
      L.warn(b.pos, `undefined callback function ${quoteAtom(n)}/${a} (behaviour ${quoteAtomAlways(b.name)})`);
    }
  }
  for (const [name, def] of L.records) {
    if (!L.usedRecords.has(name) && !d.includedRecords.has(name)) L.warn(def.pos, `record ${quoteAtom(name)} is unused`, 'unused_record');
  }
  // the compiler's own warnings about values computed for nothing come only when lint passed
  if (L.errors.length === 0) for (const f of d.fns) for (const c of f.clauses) ignoredValues(L, c.body);
  if (L.errors.length === 0) for (const f of d.fns) failingOperators(L, f.clauses);
  if (L.errors.length === 0) warnInvalidCalls(d.fns.flatMap((f) => f.clauses.map((c) => c.body)), (pos, msg) => L.warn(pos, msg));
}

const COMPARISONS = new Set(['==', '/=', '=<', '<', '>=', '>', '=:=', '=/=']);

/** Warnings for expressions whose value a body throws away (BEAM's compiler words them so). */

/**
 * An operator on literals that cannot succeed: the compiler folds it and warns, as erlc's
 * sys_core_fold does (`evaluation of operator '+'/2 will fail with a 'badarith' exception`).
 */
function failingOperators(L: Linter, node: unknown): void {
  if (Array.isArray(node)) {
    for (const x of node) failingOperators(L, x);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const e = node as Expr;
  if (e.type === 'op' && e.args?.length === 2 && BINARY[e.op] !== undefined) {
    const [a, b] = [constValue(e.args[0]!), constValue(e.args[1]!)];
    if (a !== undefined && b !== undefined) {
      try {
        BINARY[e.op]!(a, b);
      } catch (x) {
        if (x instanceof ErlangException && x.reason instanceof Atom) {
          L.warn(e.pos, `evaluation of operator ${quoteAtom(e.op)}/2 will fail with a ${quoteAtomAlways(x.reason.name)} exception`);
        }
      }
    }
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'pos' && typeof v === 'object') failingOperators(L, v);
}

function ignoredValues(L: Linter, body: Expr[]): void {
  body.forEach((e, i) => {
    if (i < body.length - 1) ignored(L, e);
    nested(L, e);
  });
}

function ignored(L: Linter, e: Expr): void {
  switch (e.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'string':
    case 'tuple':
    case 'cons':
    case 'bin':
    case 'fun':
    case 'record':
      L.warn(e.pos, 'a term is constructed, but never used');
      return;
    case 'map':
      if (e.base === undefined) L.warn(e.pos, 'a term is constructed, but never used');
      return;
    case 'op':
      if (e.op === 'andalso' || e.op === 'orelse' || e.op === '!') return;
      if (COMPARISONS.has(e.op)) L.warn(e.pos, `use of operator ${quoteAtom(e.op)} has no effect`);
      else
        L.warn(
          e.pos,
          `the result of evaluating operator ${quoteAtom(e.op)}/${e.args.length} is ignored (suppress the warning by assigning the expression to the _ variable)`,
        );
      return;
  }
}

/** The bodies inside an expression. */
function nested(L: Linter, e: Expr): void {
  const clauses = (cs: Clause[]): void => cs.forEach((c) => ignoredValues(L, c.body));
  switch (e.type) {
    case 'case':
    case 'if':
      clauses(e.clauses);
      return;
    case 'receive':
      clauses(e.clauses);
      if (e.after) ignoredValues(L, e.after.body);
      return;
    case 'try':
      ignoredValues(L, e.body);
      clauses(e.clauses);
      clauses(e.catchClauses);
      ignoredValues(L, e.after);
      return;
    case 'block':
      ignoredValues(L, e.body);
      return;
    case 'fun':
      clauses(e.clauses);
      return;
    case 'match':
      nested(L, e.right);
      return;
  }
}

/**
 * Lint shell expressions as the shell does: one expression at a time, each with the variables the
 * ones before it bound, reporting the first error only (erl_eval:check_command/2). A variable that
 * an expression binds in some branches only (unsafe in a module) counts as bound for the next
 * expressions, as erl evaluates each before checking the next; `maybe` lists those variables.
 */
export function lintExprs(exprs: Expr[], bound: Iterable<string>, records: Map<string, RecordDef> = new Map()): LintResult & { maybe: Set<string> } {
  const known = new Set(bound);
  const maybe = new Set<string>();
  for (const e of exprs) {
    // f(V) forgets V: no complaint when V is unbound
    if (e.type === 'call' && e.fn.type === 'atom' && e.fn.value === 'f' && e.args.length === 1 && e.args[0].type === 'var') continue;
    const L = new Linter({ shell: true });
    for (const [name, def] of records) L.records.set(name, { ...def, pos: { line: 0, col: 0 } });
    const vt: Vt = new Map();
    for (const b of known) vt.set(b, { state: BOUND, used: true, annos: [] });
    const evt = L.expr(e, vt);
    if (L.errors.length > 0) return { errors: sortDiagnostics(L.errors).slice(0, 1), warnings: [], maybe };
    for (const [name, info] of evt) {
      if (known.has(name)) continue;
      known.add(name);
      if (info.state.k === 'unsafe') maybe.add(name);
    }
  }
  return { errors: [], warnings: [], maybe };
}

/** The required callbacks of OTP's behaviours (behaviour_info(callbacks) less the optional ones). */
const BEHAVIOUR_CALLBACKS: Record<string, string[]> = {
  gen_server: ['init/1', 'handle_call/3', 'handle_cast/2'],
  supervisor: ['init/1'],
  gen_event: ['init/1', 'handle_event/2', 'handle_call/2'],
  gen_statem: ['init/1', 'callback_mode/0'],
  gen_fsm: ['init/1', 'handle_event/3', 'handle_sync_event/4'],
  application: ['start/2', 'stop/1'],
};

/** ~p of an atom inside quotes, as the behaviour message writes it ('gen_server'). */
function quoteAtomAlways(name: string): string {
  const q = quoteAtom(name);
  return q.startsWith("'") ? q : `'${q}'`;
}

function splitKey(k: string): [string, string] {
  const i = k.lastIndexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
}

export { quoteAtom };
