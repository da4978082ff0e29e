// The Ctrl-C BREAK menu and the Ctrl-G user switch menu (shell/break_menu.ts): erl's texts and answers.

import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { BREAK_MENU, USER_SWITCH_HELP, breakChoice, invalidOption, switchCommand, infoText, versionText } from '../../shell/break_menu.js';

describe('BREAK (Ctrl-C)', () => {
  it('shows erl’s menu', () => {
    expect(BREAK_MENU).toBe(
      'BREAK: (a)bort (A)bort with dump (c)ontinue (p)roc info (i)nfo\n' +
        '       (l)oaded (v)ersion (k)ill (D)b-tables (d)istribution\n',
    );
  });

  it('the first character of the answer chooses', () => {
    expect(breakChoice('a')).toEqual({ kind: 'abort' });
    expect(breakChoice('abc')).toEqual({ kind: 'abort' });
    expect(breakChoice('A')).toEqual({ kind: 'abort' });
    expect(breakChoice('c')).toEqual({ kind: 'continue' });
    expect(breakChoice('i')).toEqual({ kind: 'info' });
    expect(breakChoice('v')).toEqual({ kind: 'version' });
    expect(breakChoice('p')).toEqual({ kind: 'node', what: 'p' });
    expect(breakChoice('k')).toEqual({ kind: 'node', what: 'k' });
    expect(breakChoice('D')).toEqual({ kind: 'node', what: 'D' });
    expect(breakChoice('o')).toEqual({ kind: 'continue' });
    expect(breakChoice('')).toEqual({ kind: 'again' });
    expect(breakChoice('z')).toEqual({ kind: 'invalid', option: 'z' });
  });

  it('says what erl says of an unknown answer', () => {
    expect(invalidOption('z')).toBe("Invalid option 'z'. Please enter one of the following:\n");
  });

  it('`v` and `i` print in erl’s shape', () => {
    expect(versionText('0.1.0')).toBe('Erlang (terl) emulator version 0.1.0\n');
    expect(infoText()).toMatch(/^=memory\ntotal: \d+\n/);
  });
});

describe('User switch command (Ctrl-G)', () => {
  it('`h` and `?` list user_drv’s commands', () => {
    expect(switchCommand('h')).toEqual({ kind: 'print', text: USER_SWITCH_HELP });
    expect(switchCommand('?')).toEqual({ kind: 'print', text: USER_SWITCH_HELP });
  });

  it('i alone interrupts here; c, i N, k, j, s and r go to the node’s jobs; q quits', () => {
    expect(switchCommand('c')).toEqual({ kind: 'node', cmd: 'c', arg: undefined });
    expect(switchCommand(' c 1 ')).toEqual({ kind: 'node', cmd: 'c', arg: '1' });
    expect(switchCommand('i')).toEqual({ kind: 'interrupt' });
    expect(switchCommand('i 2')).toEqual({ kind: 'node', cmd: 'i', arg: '2' });
    expect(switchCommand('k 1')).toEqual({ kind: 'node', cmd: 'k', arg: '1' });
    expect(switchCommand('j')).toEqual({ kind: 'node', cmd: 'j' });
    expect(switchCommand('s')).toEqual({ kind: 'node', cmd: 's' });
    expect(switchCommand('r')).toEqual({ kind: 'node', cmd: 'r', arg: undefined });
    expect(switchCommand('r foo@bar')).toEqual({ kind: 'node', cmd: 'r', arg: 'foo@bar' });
    expect(switchCommand('q')).toEqual({ kind: 'quit' });
  });

  it('unknown commands, bad input, and the empty command', () => {
    expect(switchCommand('zz')).toEqual({ kind: 'print', text: 'Unknown command\n' });
    expect(switchCommand('c x')).toEqual({ kind: 'print', text: 'Unknown command\n' });
    expect(switchCommand('c "x"')).toEqual({ kind: 'print', text: 'Illegal input\n' });
    expect(switchCommand('')).toEqual({ kind: 'print', text: '' });
  });

  // user_drv.erl holds the help text; where OTP's sources are installed, compare with them
  const kernel = (() => {
    try {
      const d = readdirSync('/usr/lib/erlang/lib').find((n) => n.startsWith('kernel-'));
      return d ? readFileSync(`/usr/lib/erlang/lib/${d}/src/user_drv.erl`, 'utf8') : null;
    } catch {
      return null;
    }
  })();
  it.skipIf(kernel === null)('the help lines are user_drv.erl’s (skipped when OTP sources are missing)', () => {
    for (const line of USER_SWITCH_HELP.split('\n').filter(Boolean)) expect(kernel).toContain(JSON.stringify(line + '\n').slice(1, -1));
  });

});
