// Issue 19, break 4: a fault of terl's own compiler (a JS exception where erl would have evaluated
// the expression) is reported, naming the expression, and the shell reads the next one. Such a
// fault cannot be typed on purpose once it is fixed, so the compiler is made to fail here for one
// expression; everything else is the real shell in this process.

import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/compile/shell.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/compile/shell.js')>();
  return {
    ...real,
    compileShell: (...args: Parameters<typeof real.compileShell>) => {
      const [exprs] = args;
      if (JSON.stringify(exprs).includes('make_the_compiler_fail')) throw new RangeError('Invalid string length');
      return real.compileShell(...args);
    },
  };
});

import '../../runtime/vm/signals.js';
import '../helpers/library.js';
import { startUserServer } from '../../runtime/lib/kernel/user.js';
import { setFallbackSink } from '../../runtime/lib/kernel/error_logger.js';
import { ShellState } from '../../runtime/lib/stdlib/shell/commands.js';
import { startShell } from '../../runtime/lib/stdlib/shell/eshell.js';
import { node } from '../../runtime/vm/node.js';

describe('a fault of the compiler at the prompt', () => {
  it('is reported with the expression, and the shell goes on', async () => {
    const input = ['make_the_compiler_fail(1, 2).', '2 + 2.', 'X = 3.', 'X * X.'];
    let out = '';
    setFallbackSink((t) => void (out += t));
    const done = new Promise<void>((resolve) => {
      node.onHalt = () => resolve();
    });
    startUserServer({
      write: (t) => void (out += t),
      readLine: async (prompt) => {
        out += prompt;
        return input.shift() ?? null;
      },
    });
    startShell(new ShellState());
    await done;
    expect(out).toBe(
      [
        '1> *** terl internal error: could not compile make_the_compiler_fail(1, 2). (RangeError: Invalid string length)',
        '2> 4',
        '3> 3',
        '4> 9',
        '5> *** Terminating erlang (nonode@nohost)',
        '',
      ].join('\n'),
    );
  });
});
