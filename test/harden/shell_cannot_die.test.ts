// Issue 19, break 4: the shell cannot die. `1().`, a 10,000-term andalso chain and
// <<0:1099511627776>> each ended the shell for good ({internal_error, ...} and no prompt ever
// again). erl's answers for the first two are in test/lib/shell/shell_survives (a transcript);
// here what erl cannot show: a binary erl itself dies building (binary_alloc: Cannot allocate
// 137438953472 bytes, and a crash dump), for which terl gives the error erl gives for sizes past
// its own limit, and goes on.

import { describe, expect, it } from 'vitest';
import { runTerl } from '../helpers/terl.js';

describe('the shell after what once killed it', () => {
  it('<<0:1099511627776>>: construction of binary failed, the size is too large; the shell goes on', async () => {
    const r = await runTerl([], '<<0:1099511627776>>.\nX = 1 bsl 40, <<1:X/little>>.\n1().\n2 + 2.\n');
    expect(r.stdout).toBe(
      [
        'Eshell terl 0.1.0  (abort with ^G)',
        '1> ** exception error: construction of binary failed',
        '     in function  eval_bits:eval_exp_field/6 (eval_bits.erl, line 143)',
        "        *** segment 1 of type 'integer': the size 1099511627776 is too large",
        '     in call from eval_bits:create_binary/2 (eval_bits.erl, line 77)',
        '     in call from eval_bits:expr_grp/5 (eval_bits.erl, line 68)',
        '2> ** exception error: construction of binary failed',
        '     in function  eval_bits:eval_exp_field/6 (eval_bits.erl, line 143)',
        "        *** segment 1 of type 'integer': the size 1099511627776 is too large",
        '     in call from eval_bits:create_binary/2 (eval_bits.erl, line 77)',
        '     in call from eval_bits:expr_grp/5 (eval_bits.erl, line 68)',
        '3> ** exception error: bad function 1',
        '4> 4',
        '5> *** Terminating erlang (nonode@nohost)',
        '',
      ].join('\n'),
    );
  });
});
