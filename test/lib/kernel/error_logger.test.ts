// The error logger: a process that dies of an uncaught error or throw makes the report OTP 25
// prints; exits (and kills) print nothing. The expected texts are what real erl printed for the
// same crashes (`=ERROR REPORT==== <time> ===` with the time normalised).

import { describe, test, expect, beforeAll } from 'vitest';
import '../../helpers/library.js';
import { run, call, sleep, A, tuple } from '../../vm/support.js';
import { setFallbackSink, crashReportText } from '../../../runtime/lib/kernel/error_logger.js';
import { erlError, erlExit, erlThrow } from '../../../runtime/vm/exception.js';
import { Fun, Pid, Term, atom, list } from '../../../runtime/vm/term.js';

let logged = '';
beforeAll(() => {
  setFallbackSink((t) => {
    logged += t;
  });
});

function normalise(text: string): string {
  return text.replace(/^=ERROR REPORT==== .* ===$/gm, '=ERROR REPORT==== <time> ===').replace(/<0\.\d+\.0>/g, '<PID>');
}

function funOf(body: () => Generator<unknown, Term, unknown>): Fun {
  return new Fun(0, body, { kind: 'local', module: atom('runtime_error_report_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

async function crash(body: () => Generator<unknown, Term, unknown>): Promise<string> {
  logged = '';
  await run(function* () {
    yield* call('spawn', funOf(body));
    yield* sleep(20);
    return A('ok');
  });
  return normalise(logged);
}

const erlEvalStack = list([tuple(A('erl_eval'), A('expr'), 6, list([tuple(A('file'), list([...'erl_eval.erl'].map((c) => c.charCodeAt(0)))), tuple(A('line'), 496)]))]);

describe('error reports', () => {
  test('an error: the report erl prints for spawn(fun() -> 1 = 2 end)', async () => {
    // erl 25 shell:
    // =ERROR REPORT==== 25-Nov-2026::19:49:55.209092 ===
    // Error in process <0.83.0> with exit value:
    // {{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}
    // (blank line)
    const text = await crash(function* () {
      throw erlError(tuple(A('badmatch'), 2), erlEvalStack);
    });
    expect(text).toBe(
      '=ERROR REPORT==== <time> ===\n' +
        'Error in process <PID> with exit value:\n' +
        '{{badmatch,2},[{erl_eval,expr,6,[{file,"erl_eval.erl"},{line,496}]}]}\n\n',
    );
  });

  test('a throw is reported as {nocatch, Value}', async () => {
    // erl: {{nocatch,foo},[{shell,apply_fun,3,[{file,"shell.erl"},{line,912}]}]}
    const text = await crash(function* () {
      throw erlThrow(A('foo'));
    });
    expect(text).toBe('=ERROR REPORT==== <time> ===\nError in process <PID> with exit value:\n{{nocatch,foo},[]}\n\n');
  });

  test('exit(foo), a kill and a normal end print nothing', async () => {
    expect(
      await crash(function* () {
        throw erlExit(A('foo'));
      }),
    ).toBe('');
    expect(
      await crash(function* () {
        yield* call('exit', (yield* call('self')) as Pid, A('kill'));
        return A('ok');
      }),
    ).toBe('');
    expect(
      await crash(function* () {
        return A('ok');
      }),
    ).toBe('');
  });

  test('a long reason is pretty-printed across lines as ~p does', async () => {
    const reason = tuple(A('some_long_error_reason'), list(Array.from({ length: 30 }, (_, i) => i * 1000)));
    const text = crashReportText(new Pid(A('nonode@nohost'), 85, 0, 0), reason);
    const lines = text.split('\n');
    expect(lines[1]).toBe('Error in process <0.85.0> with exit value:');
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.slice(2).every((l) => l.length <= 80)).toBe(true);
  });

  test('a JS exception inside a process is an Erlang error, reported, and the node lives on', async () => {
    const text = await crash(function* () {
      (null as unknown as { x: number }).x;
      return A('ok');
    });
    expect(text).toMatch(/^=ERROR REPORT==== <time> ===\nError in process <PID> with exit value:\n\{\{internal_error,"TypeError: /);
  });
});

