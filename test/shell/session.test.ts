// The shell's terminal side (shell/session.ts) against a fake node: what reaches the node, what is
// written to the scrollback, and what the editing rows show, for the keys a user types.

import { describe, it, expect, beforeEach, vi } from 'vitest';
import type { FromNode, ToNode } from '../../src/bridge.js';
import { ShellSession, type NodeLink, isErrorLine, normalise, columns } from '../../shell/session.js';
import { History } from '../../shell/history.js';
import { decodeKeys } from '../../shell/keys.js';
import { makeStyle, plainStyle } from '../../shell/style.js';

class FakeNode implements NodeLink {
  sent: ToNode[] = [];
  private cb: ((m: FromNode) => void) | null = null;
  interrupt = new Int32Array(1);
  post(msg: ToNode): void {
    this.sent.push(msg);
  }
  onMessage(cb: (m: FromNode) => void): void {
    this.cb = cb;
  }
  say(m: FromNode): void {
    this.cb!(m);
  }
  lines(): (string | null)[] {
    return this.sent.flatMap((m) => (m.t === 'line' ? [m.text] : []));
  }
}

class FakeScreen {
  written = '';
  beeps = 0;
  exitCode: number | null = null;
  write(text: string): void {
    this.written += text;
  }
  render(): void {}
  beep(): void {
    this.beeps++;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

const CURSOR = (s: string) => `\x1b[7m${s}\x1b[27m`;

let node: FakeNode;
let screen: FakeScreen;
let s: ShellSession;

function start(opts: { history?: History; color?: boolean; batchMs?: number } = {}) {
  node = new FakeNode();
  screen = new FakeScreen();
  s = new ShellSession(node, screen, {
    banner: 'Eshell terl 0.1.0  (abort with ^G)',
    history: opts.history ?? new History(),
    style: opts.color ? makeStyle(true) : plainStyle,
    version: '0.1.0',
    batchMs: opts.batchMs ?? 0,
  });
}
const type = (keys: string) => s.keys(decodeKeys(keys));
/** the editing rows with the cursor shown as | */
const rows = () => s.view(80).map((r) => r.replace(CURSOR(' '), '|').replace(/\x1b\[7m(.)\x1b\[27m/u, '|$1'));

beforeEach(() => start());

describe('prompt, line, result', () => {
  it('writes the banner, shows the prompt, hands the typed line to the node and echoes it', () => {
    expect(screen.written).toBe('Eshell terl 0.1.0  (abort with ^G)\n');
    node.say({ t: 'get_line', prompt: '1> ' });
    expect(rows()).toEqual(['1> |']);
    type('1+2.');
    expect(rows()).toEqual(['1> 1+2.|']);
    type('\r');
    expect(node.lines()).toEqual(['1+2.']);
    expect(screen.written).toMatch(/\n1> 1\+2\.\n$/);
    expect(rows()).toEqual([]);
    node.say({ t: 'output', text: '3\n' });
    node.say({ t: 'get_line', prompt: '2> ' });
    expect(screen.written).toMatch(/1> 1\+2\.\n3\n$/);
    expect(rows()).toEqual(['2> |']);
  });

  it('edits in the middle: `1+` Left Left, insert, Enter sends the edited line', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('1+\x1b[D\x1b[D');
    expect(rows()).toEqual(['1> |1+']);
    type('2*');
    type('\x1b[F3.\r');
    expect(node.lines()).toEqual(['2*1+3.']);
  });

  it('continuation lines are asked for with an empty prompt and shown without one', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('1 +\r');
    node.say({ t: 'get_line', prompt: '' });
    expect(rows()).toEqual(['|']);
    type('2.\r');
    expect(screen.written).toMatch(/1> 1 \+\n2\.\n$/);
    expect(node.lines()).toEqual(['1 +', '2.']);
  });

  it('output from another process lands above the line being typed, which survives', () => {
    node.say({ t: 'get_line', prompt: '2> ' });
    type('lists:rev');
    node.say({ t: 'output', text: 'hello\n' });
    expect(screen.written).toMatch(/hello\n$/);
    expect(rows()).toEqual(['2> lists:rev|']);
  });

  it('output without a newline is drawn before the prompt, as erl does', () => {
    node.say({ t: 'get_line', prompt: '2> ' });
    node.say({ t: 'output', text: 'xyz' });
    expect(rows()).toEqual(['xyz2> |']);
    type('a.\r');
    expect(screen.written).toMatch(/xyz2> a\.\n$/);
  });

  it('halt ends the session with its status', () => {
    node.say({ t: 'halt', code: 3 });
    expect(screen.exitCode).toBe(3);
  });
});

describe('lines typed ahead and pasted', () => {
  it('a pasted block is fed line by line, in order, one per prompt', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('A = 1.\rB = 2.\rA + B.\r');
    expect(node.lines()).toEqual(['A = 1.']);
    node.say({ t: 'get_line', prompt: '2> ' });
    expect(node.lines()).toEqual(['A = 1.', 'B = 2.']);
    node.say({ t: 'get_line', prompt: '3> ' });
    expect(node.lines()).toEqual(['A = 1.', 'B = 2.', 'A + B.']);
    expect(screen.written).toMatch(/1> A = 1\.\n2> B = 2\.\n3> A \+ B\.\n$/);
  });

  it('a bracketed paste does the same, and keeps an unfinished last line in the editor', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('\x1b[200~1.\n2.\n3\x1b[201~');
    node.say({ t: 'get_line', prompt: '2> ' });
    expect(node.lines()).toEqual(['1.', '2.']);
    node.say({ t: 'get_line', prompt: '3> ' });
    expect(rows()).toEqual(['3> 3|']);
  });

  it('a Tab in a paste is a character, not a completion request', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('\x1b[200~f() ->\n\tok.\n\x1b[201~');
    node.say({ t: 'get_line', prompt: '' });
    expect(node.lines()).toEqual(['f() ->', '\tok.']);
    expect(node.sent.some((m) => m.t === 'complete')).toBe(false);
  });

  it('a line typed while the node is busy waits for its prompt', () => {
    type('1.\r');
    expect(node.lines()).toEqual([]);
    node.say({ t: 'get_line', prompt: '1> ' });
    expect(node.lines()).toEqual(['1.']);
  });
});

describe('keys', () => {
  beforeEach(() => node.say({ t: 'get_line', prompt: '1> ' }));

  it('Ctrl-D on an empty line beeps and does nothing else (erl does not quit)', () => {
    type('\x04');
    expect(screen.beeps).toBe(1);
    expect(screen.exitCode).toBeNull();
    expect(node.sent).toEqual([]);
  });

  it('Ctrl-A, Ctrl-K, Ctrl-Y, Ctrl-W, Alt-B, Alt-F', () => {
    type('foo(bar, baz)');
    type('\x1bb\x1bb');
    expect(rows()).toEqual(['1> foo(|bar, baz)']);
    type('\x0b');
    expect(rows()).toEqual(['1> foo(|']);
    type('\x01\x19');
    expect(rows()).toEqual(['1> bar, baz)|foo(']);
    type('\x1bf\x17');
    expect(rows()).toEqual(['1> bar, baz)|(']);
  });

  it('Alt-Enter starts a new row in the same entry; Enter sends each row as a line', () => {
    type('1 +\x1b\r2.');
    expect(rows()).toEqual(['1> 1 +', '2.|']);
    type('\r');
    expect(node.lines()).toEqual(['1 +']);
    node.say({ t: 'get_line', prompt: '' });
    expect(node.lines()).toEqual(['1 +', '2.']);
  });
});

describe('history', () => {
  it('Up recalls earlier expressions, a multi-line one whole; Down comes back', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('X = 1.\r');
    node.say({ t: 'get_line', prompt: '2> ' });
    type('X +\r');
    node.say({ t: 'get_line', prompt: '' });
    type('1.\r');
    node.say({ t: 'get_line', prompt: '3> ' });
    expect(s.history.all).toEqual(['X = 1.', 'X +\n1.']);
    type('draft\x1b[A');
    expect(rows()).toEqual(['3> X +', '1.|']);
    type('\x1b[A\x1b[A');
    expect(rows()).toEqual(['3> X = 1.|']);
    type('\x1b[B\x1b[B\x1b[B');
    expect(rows()).toEqual(['3> draft|']);
  });

  it('Ctrl-R finds the newest entry with the text; Enter runs it, the search line staying on screen', () => {
    start({ history: new History(['X1 = 10.', 'Y = 20.']) });
    node.say({ t: 'get_line', prompt: '3> ' });
    type('\x12');
    expect(rows()).toEqual(["(search)`|': Y = 20."]);
    type('X');
    expect(rows()).toEqual(["(search)`X|': X1 = 10."]);
    type('\r');
    expect(node.lines()).toEqual(['X1 = 10.']);
    expect(screen.written).toMatch(/\(search\)`X': X1 = 10\.\n$/);
  });

  it('another key leaves the search with the line found, to edit', () => {
    start({ history: new History(['X1 = 10.', 'Y = 20.']) });
    node.say({ t: 'get_line', prompt: '3> ' });
    type('\x12X\x05');
    expect(rows()).toEqual(['3> X1 = 10.|']);
    expect(node.lines()).toEqual([]);
  });
});

describe('completion', () => {
  beforeEach(() => node.say({ t: 'get_line', prompt: '1> ' }));
  const answer = (candidates: string[]) => {
    const req = node.sent.filter((m) => m.t === 'complete').pop() as Extract<ToNode, { t: 'complete' }>;
    node.say({ t: 'completion', id: req.id, candidates });
    return req;
  };

  it('asks the node about the word and inserts the completion', () => {
    type('lis\t');
    expect(answer(['lists', 'io']).prefix).toBe('lis');
    expect(rows()).toEqual(['1> lists:|']);
    type('rev\t');
    expect(answer(['reverse/1', 'reverse/2', 'seq/2']).prefix).toBe('lists:rev');
    expect(rows()).toEqual(['1> lists:reverse(|']);
  });

  it('ambiguous: the line stays on screen with the candidates under it, and is drawn again', () => {
    type('lists:se\t');
    answer(['search/2', 'seq/2', 'seq/3']);
    expect(screen.written).toMatch(/1> lists:se\nsearch\/2  seq\/2     seq\/3     \n$/);
    expect(rows()).toEqual(['1> lists:se|']);
    expect(screen.beeps).toBe(0);
  });

  it('nothing matches: a beep', () => {
    type('zz\t');
    answer([]);
    expect(screen.beeps).toBe(1);
  });

  it('an answer to a line since changed is ignored', () => {
    type('lis\t');
    type('x');
    answer(['lists']);
    expect(rows()).toEqual(['1> lisx|']);
  });
});

describe('Ctrl-C: the BREAK menu', () => {
  beforeEach(() => node.say({ t: 'get_line', prompt: '1> ' }));

  it('shows the menu under the line; c continues with the line as it was', () => {
    type('ab\x03');
    expect(screen.written).toMatch(
      /1> ab\nBREAK: \(a\)bort \(A\)bort with dump \(c\)ontinue \(p\)roc info \(i\)nfo\n {7}\(l\)oaded \(v\)ersion \(k\)ill \(D\)b-tables \(d\)istribution\n$/,
    );
    expect(rows()).toEqual(['|']);
    type('c\r');
    expect(rows()).toEqual(['1> ab|']);
  });

  it('v prints the version; an unknown answer the menu again', () => {
    type('\x03v\r');
    expect(screen.written).toMatch(/\nv\nErlang \(terl\) emulator version 0\.1\.0\n$/);
    type('\x03z\r');
    expect(screen.written).toMatch(/z\nInvalid option 'z'\. Please enter one of the following:\nBREAK: /);
  });

  it('a aborts: the node is told, the session ends with status 0', () => {
    type('\x03a\r');
    expect(node.sent).toContainEqual({ t: 'break', action: 'abort' });
    expect(screen.exitCode).toBe(0);
  });

  it('p, l, D, d: the node’s text, then back to the shell', () => {
    type('ab\x03p\r');
    expect(node.sent).toContainEqual({ t: 'break_info', what: 'p' });
    node.say({ t: 'break_reply', text: '=proc:<0.0.0>\nState: Waiting\n' });
    expect(screen.written).toMatch(/\np\n=proc:<0\.0\.0>\nState: Waiting\n$/);
    expect(rows()).toEqual(['1> ab|']);
  });

  it('k walks the processes: k kills one, n goes to the next, r returns', () => {
    type('\x03k\r');
    node.say({
      t: 'break_reply',
      text: '',
      procs: [
        { pid: '<0.82.0>', text: '=proc:<0.82.0>\n' },
        { pid: '<0.81.0>', text: '=proc:<0.81.0>\n' },
        { pid: '<0.80.0>', text: '=proc:<0.80.0>\n' },
      ],
    });
    expect(screen.written).toMatch(
      /\nk\n\n\nProcess Information\n\n-{50}\n=proc:<0\.82\.0>\n\(k\)ill \(n\)ext \(r\)eturn:\n$/,
    );
    type('n\r');
    type('k\r');
    expect(node.sent).toContainEqual({ t: 'break_kill', pid: '<0.81.0>' });
    expect(screen.written).toMatch(/n\n=proc:<0\.81\.0>\n\(k\)ill \(n\)ext \(r\)eturn:\nk\n=proc:<0\.80\.0>\n\(k\)ill \(n\)ext \(r\)eturn:\n$/);
    type('r\r');
    expect(rows()).toEqual(['1> |']);
  });

  it('Ctrl-C again at the menu aborts too', () => {
    type('\x03\x03');
    expect(screen.exitCode).toBe(0);
  });
});

describe('Ctrl-G: user switch command', () => {
  beforeEach(() => node.say({ t: 'get_line', prompt: '1> ' }));

  it('shows the header and the --> prompt; h lists the commands; c goes back', () => {
    type('ab\x07');
    expect(screen.written).toMatch(/1> ab\nUser switch command\n$/);
    expect(rows()).toEqual([' --> |']);
    type('h\r');
    expect(screen.written).toMatch(/ --> h\n {2}c \[nn\] {12}- connect to job\n[^]*\? \| h {13}- this message\n$/);
    type('c\r');
    expect(node.sent).toContainEqual({ t: 'switch', cmd: 'c', arg: undefined });
    node.say({ t: 'switch_reply', text: '', connect: true });
    expect(rows()).toEqual(['1> ab|']);
  });

  it('s, j, c 2, k: the node runs the jobs; what it answers is shown, and c connects', () => {
    type('\x07s\r');
    expect(node.sent).toContainEqual({ t: 'switch', cmd: 's', arg: undefined });
    node.say({ t: 'switch_reply', text: '', connect: false });
    type('j\r');
    node.say({ t: 'switch_reply', text: '   1  {shell,start,[init]}\n   2* {shell,start,[]}\n', connect: false });
    expect(screen.written).toMatch(/ --> s\n --> j\n {3}1  \{shell,start,\[init\]\}\n {3}2\* \{shell,start,\[\]\}\n$/);
    type('c 9\r');
    node.say({ t: 'switch_reply', text: 'Unknown job\n', connect: false });
    expect(rows()).toEqual([' --> |']);
    // keys typed before the node answers wait for the answer
    type('r foo@bar\rk 1\r');
    expect(node.sent).toContainEqual({ t: 'switch', cmd: 'r', arg: 'foo@bar' });
    expect(node.sent).not.toContainEqual({ t: 'switch', cmd: 'k', arg: '1' });
    node.say({ t: 'switch_reply', text: '', connect: false });
    expect(node.sent).toContainEqual({ t: 'switch', cmd: 'k', arg: '1' });
    node.say({ t: 'switch_reply', text: '', connect: false });
    type('c 2\r');
    node.say({ t: 'switch_reply', text: '', connect: true });
    expect(screen.written).toMatch(/ --> c 9\nUnknown job\n --> r foo@bar\n --> k 1\n --> c 2\n$/);
  });

  it('i interrupts the evaluation through the shared flag the scheduler polls', () => {
    vi.useFakeTimers();
    try {
      type('timer:sleep(infinity).\r\x07i\r');
      expect(node.interrupt[0]).toBe(1);
      node.interrupt[0] = 0; // the scheduler took it
      vi.advanceTimersByTime(1000);
      expect(node.sent).not.toContainEqual({ t: 'break', action: 'interrupt' });
      expect(rows()).toEqual([' --> |']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('i falls back to a message when no scheduler takes the flag (the evaluation is waiting)', () => {
    vi.useFakeTimers();
    try {
      type('timer:sleep(infinity).\r\x07i\r');
      vi.advanceTimersByTime(1000);
      expect(node.interrupt[0]).toBe(0);
      expect(node.sent.filter((m) => m.t === 'break')).toEqual([{ t: 'break', action: 'interrupt' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('i with nothing evaluating tells the node by message, leaving the flag down', () => {
    type('\x07i\r');
    expect(node.sent).toContainEqual({ t: 'break', action: 'interrupt' });
    expect(node.interrupt[0]).toBe(0);
  });

  it('q quits', () => {
    type('\x07q\r');
    expect(screen.exitCode).toBe(0);
  });
});

describe('colour', () => {
  it('errors in red, the result (the output just before the next prompt) in green, the prompt bold', () => {
    // output is held a few milliseconds, so the result and the prompt after it arrive together
    start({ color: true, batchMs: 50 });
    node.say({ t: 'get_line', prompt: '1> ' });
    type('1/0.\r');
    node.say({ t: 'output', text: '** exception error: an error occurred when evaluating an arithmetic expression\n' });
    node.say({ t: 'get_line', prompt: '2> ' });
    expect(screen.written).toContain('\x1b[31m** exception error:');
    type('1.\r');
    node.say({ t: 'output', text: '1\n' });
    node.say({ t: 'get_line', prompt: '3> ' });
    expect(screen.written).toContain('\x1b[32m1\x1b[39m\n');
    expect(screen.written).toContain('\x1b[1m2> \x1b[22m1.');
  });

  it('terl\'s explanation line dim, the result above it still green', () => {
    start({ color: true, batchMs: 50 });
    node.say({ t: 'get_line', prompt: '1> ' });
    type('net_adm:ping(a@h).\r');
    node.say({ t: 'output', text: 'pang\n' });
    node.say({ t: 'output', text: 'no node named a is registered with the port mapper (epmd) on h\n', note: true });
    node.say({ t: 'get_line', prompt: '2> ' });
    expect(screen.written).toContain('\x1b[32mpang\x1b[39m\n\x1b[2mno node named a is registered with the port mapper (epmd) on h\x1b[22m\n');
  });

  it('plain text when colour is off', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    node.say({ t: 'output', text: '** exception error: bad argument\n' });
    expect(screen.written).not.toMatch(/\x1b\[3/);
  });

  it('knows erl’s error lines', () => {
    expect(isErrorLine('** exception error: bad argument')).toBe(true);
    expect(isErrorLine('* 1:5: syntax error before: ')).toBe(true);
    expect(isErrorLine("* 1: variable 'X' is unbound")).toBe(true);
    expect(isErrorLine('[1,2,3]')).toBe(false);
    expect(isErrorLine('ok')).toBe(false);
  });
});

describe('long lines', () => {
  it('the line is cut into rows as wide as the terminal, the cursor on the row it is in', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('abcdefghij' + '\x1b[D'.repeat(3));
    expect(s.view(5).map((r) => r.replace(/\x1b\[7m(.)\x1b\[27m/u, '|$1'))).toEqual(['1> ab', 'cdefg', '|hij']);
  });

  it('a wide character takes two columns', () => {
    node.say({ t: 'get_line', prompt: '1> ' });
    type('"日本語"');
    expect(s.view(8).map((r) => r.replace(/\x1b\[7m(.)\x1b\[27m/u, '|$1'))).toEqual(['1> "日本', '語"| ']);
    expect(columns('日')).toBe(2);
    expect(columns('a')).toBe(1);
  });
});

describe('output text', () => {
  it('tabs become spaces to the next 8th column; CRLF is a newline', () => {
    expect(normalise('a\tb\r\n')).toBe('a       b\n');
  });
});
