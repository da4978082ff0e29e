// The syntax tree, node for node the Erlang abstract format (erl_parse's tuples):
// each `type` is the tag erl_parse uses, so src/abstract.ts converts both ways losslessly.
// Patterns and guards use the same node types as expressions.

export interface Pos {
  line: number;
  /** 1-based column; abstract format annotations carry the line only (0 when unknown: read from a line-only annotation) */
  col: number;
}

export type Expr =
  | { type: 'integer'; pos: Pos; value: number | bigint }
  | { type: 'float'; pos: Pos; value: number }
  | { type: 'char'; pos: Pos; value: number }
  /** a string literal: its code points as a JS string */
  | { type: 'string'; pos: Pos; value: string }
  | { type: 'atom'; pos: Pos; value: string }
  | { type: 'var'; pos: Pos; name: string }
  | { type: 'nil'; pos: Pos }
  | { type: 'cons'; pos: Pos; head: Expr; tail: Expr }
  | { type: 'tuple'; pos: Pos; elements: Expr[] }
  | { type: 'bin'; pos: Pos; elements: BinElement[] }
  /** #{...} when base is undefined, Base#{...} otherwise */
  | { type: 'map'; pos: Pos; base?: Expr; assocs: MapAssoc[] }
  /** #r{f = E} when base is undefined, Base#r{f = E} otherwise */
  | { type: 'record'; pos: Pos; base?: Expr; name: string; fields: RecordFieldInit[] }
  /** Expr#r.f (fieldPos: where f is written, when known) */
  | { type: 'record_field'; pos: Pos; expr: Expr; name: string; field: string; fieldPos?: Pos }
  /** #r.f */
  | { type: 'record_index'; pos: Pos; name: string; field: string; fieldPos?: Pos }
  | { type: 'match'; pos: Pos; left: Expr; right: Expr }
  /** unary when args has one element */
  | { type: 'op'; pos: Pos; op: string; args: Expr[] }
  /** fn is a 'remote' node for M:F(...) */
  | { type: 'call'; pos: Pos; fn: Expr; args: Expr[] }
  | { type: 'remote'; pos: Pos; module: Expr; name: Expr }
  | { type: 'lc'; pos: Pos; expr: Expr; quals: Qualifier[] }
  | { type: 'bc'; pos: Pos; expr: Expr; quals: Qualifier[] }
  | { type: 'block'; pos: Pos; body: Expr[] }
  | { type: 'case'; pos: Pos; expr: Expr; clauses: Clause[] }
  | { type: 'if'; pos: Pos; clauses: Clause[] }
  | { type: 'receive'; pos: Pos; clauses: Clause[]; after?: { timeout: Expr; body: Expr[] } }
  /** try Body of Clauses catch CatchClauses after After end */
  | { type: 'try'; pos: Pos; body: Expr[]; clauses: Clause[]; catchClauses: Clause[]; after: Expr[] }
  | { type: 'catch'; pos: Pos; expr: Expr }
  /** fun Name/Arity (module undefined) or fun M:F/A (each an expression, usually atom/integer literals) */
  | { type: 'fun_ref'; pos: Pos; module?: Expr; name: Expr; arity: Expr }
  /** fun (...) -> ... end; named_fun when name is set */
  | { type: 'fun'; pos: Pos; name?: string; clauses: Clause[] };

export interface BinElement {
  pos: Pos;
  value: Expr;
  size?: Expr;
  /** type specifiers: 'integer', 'big', 'signed', 'binary', 'utf8', ... and unit:N as { unit: N }
   *  (any other Name:N, which the linter rejects, is kept as the string 'Name:N') */
  specs?: (string | { unit: number })[];
}

export interface MapAssoc {
  pos: Pos;
  /** '=>' builds or updates, ':=' updates an existing key or matches */
  op: '=>' | ':=';
  key: Expr;
  value: Expr;
}

export interface RecordFieldInit {
  pos: Pos;
  /** '_' sets all other fields */
  field: string;
  value: Expr;
}

export type Qualifier =
  | { type: 'generate'; pos: Pos; pattern: Expr; expr: Expr }
  | { type: 'b_generate'; pos: Pos; pattern: Expr; expr: Expr }
  | { type: 'filter'; expr: Expr };

export interface Clause {
  pos: Pos;
  /** function heads and funs: the arguments; case/receive/of: one pattern; catch: one pattern {tuple,[Class,Reason,Stack]} */
  patterns: Expr[];
  /** guard sequence: alternatives separated by ';', each a list of tests separated by ',' */
  guards: Expr[][];
  body: Expr[];
}

export interface RecordFieldDef {
  pos: Pos;
  name: string;
  default?: Expr;
  /** `a :: T`: the type in the abstract format (a term), written as a literal expression (erl_parse:abstract) */
  type?: Expr;
}

export type Form =
  | { type: 'module'; pos: Pos; name: string }
  | { type: 'export'; pos: Pos; functions: [string, number][] }
  | { type: 'import'; pos: Pos; module: string; functions: [string, number][] }
  | { type: 'compile'; pos: Pos; options: Expr }
  | { type: 'record'; pos: Pos; name: string; fields: RecordFieldDef[] }
  /** any other -name(Value). attribute (spec, type, vsn, author, behaviour, file, ...): value is a literal expression
   *  of the attribute's term (erl_parse:normalise gives the term); for spec/callback/type/opaque that term holds the
   *  abstract-format types exactly as erl_parse builds them */
  | { type: 'attribute'; pos: Pos; name: string; value?: Expr }
  | { type: 'function'; pos: Pos; name: string; arity: number; clauses: Clause[] };
