// Error reports of crashed processes, as erl 25 printed them (captured from `erl` and
// `erl -sname rpt` with spawn(fun() -> error(lists:seq(1,40)) end) and a throw).
import { describe, expect, it } from 'vitest';
import { Pid, atom, charlist, list, tuple } from '../../../../runtime/vm/term.js';
import { errorReportProcessExit, legacyHeader, processExitValue } from '../../../../runtime/lib/stdlib/format/report.js';

const shellFrame = tuple(
  atom('shell'),
  atom('apply_fun'),
  3,
  list([tuple(atom('file'), charlist('shell.erl')), tuple(atom('line'), 912)]),
);
const stack = list([shellFrame]);
const nums = list(Array.from({ length: 40 }, (_, i) => i + 1));
const time = 1764100859115414; // 25 Nov 2025 20:00:59.115414 UTC

describe('error reports', () => {
  it('writes the legacy header as logger_formatter (day not zero-padded)', () => {
    expect(legacyHeader('ERROR REPORT', 1762300800000007, true)).toBe('=ERROR REPORT==== 5-Nov-2025::00:00:00.000007 UTC ===');
    expect(legacyHeader('ERROR REPORT', time, true)).toBe('=ERROR REPORT==== 25-Nov-2025::20:00:59.115414 UTC ===');
  });

  it('reports an error exit with ~p layout', () => {
    const value = processExitValue(atom('error'), nums, stack)!;
    const text = errorReportProcessExit(new Pid(atom('nonode@nohost'), 94, 0, 0), value, { timeMicros: time, utc: true });
    expect(text).toBe(
      '=ERROR REPORT==== 25-Nov-2025::20:00:59.115414 UTC ===\n' +
        'Error in process <0.94.0> with exit value:\n' +
        '{[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n' +
        '  29,30,31,32,33,34,35,36,37,38,39,40],\n' +
        ' [{shell,apply_fun,3,[{file,"shell.erl"},{line,912}]}]}\n' +
        '\n',
    );
  });

  it('names the node when it is alive and wraps throws in nocatch', () => {
    const value = processExitValue(atom('throw'), tuple(atom('ball'), charlist('x')), stack)!;
    const text = errorReportProcessExit(new Pid(atom('rpt@vm'), 92, 0, 0), value, { timeMicros: time, utc: true, node: atom('rpt@vm') });
    expect(text.split('\n').slice(1).join('\n')).toBe(
      'Error in process <0.92.0> on node rpt@vm with exit value:\n' +
        '{{nocatch,{ball,"x"}},[{shell,apply_fun,3,[{file,"shell.erl"},{line,912}]}]}\n' +
        '\n',
    );
  });

  it('does not report exits', () => {
    expect(processExitValue(atom('exit'), atom('foo'), stack)).toBeUndefined();
  });
});
