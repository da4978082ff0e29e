import { describe, expect, it } from 'vitest';
import { evalExpr, outcome, tableFor } from '../lib/bifs_harness.js';
import '../../runtime/vm/ops.js';

// Erlang's operators (runtime/vm/ops.ts, registered as erlang:'+'/2 ...) against
// test/fixtures/bifs/ops.expected, which real erl produced (escript test/fixtures/bifs/gen.escript
// test/fixtures/bifs/ops.cases): values, and for errors the class, reason and the operator's frame.
const { cases, env } = tableFor('ops');

// one test per operator, listing every case that differs from OTP
const byOp = new Map<string, typeof cases>();
for (const c of cases) {
  const op = /^erlang:'([^']+)'\(/.exec(c.expr)![1] + '/' + (c.expr.includes(', ') ? 2 : 1);
  if (!byOp.has(op)) byOp.set(op, []);
  byOp.get(op)!.push(c);
}

describe('operators as OTP 25', () => {
  it.each([...byOp.keys()])('%s', (op) => {
    const wrong: string[] = [];
    for (const { expr, expected } of byOp.get(op)!) {
      const got = outcome(() => evalExpr(expr, env));
      if (got !== expected) wrong.push(`${expr}: terl ${got}, erl ${expected}`);
    }
    expect(wrong).toEqual([]);
  });
});
