// terl's shell in a real terminal: the `terl` binary in a pty (node-pty), typed at as a person would.
// What the screens should show is erl's; the UI alone (with a fake node) is in tui_ui.test.ts.

import { describe, it, expect, beforeAll, afterAll, type TestContext } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTerm, killAll, KEY, ptySkipReason, type Term } from './pty.js';
import { TERL } from '../helpers/terl.js';
import { BREAK_MENU } from '../../shell/break_menu.js';

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'terl-e2e-'));
});
afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});
// each test kills the terminals it started when it finishes; this is for any left over
afterAll(() => killAll());

/** Start terl in a terminal, to be killed when the test finishes. */
function terl(ctx: TestContext, env: NodeJS.ProcessEnv = {}): Term {
  const t = spawnTerm(process.execPath, [TERL], {
    cwd: home,
    env: { TERL_HISTORY: join(home, 'history'), NO_COLOR: '1', HOME: home, ...env },
  });
  ctx.onTestFinished(() => t.kill());
  return t;
}

/** Type a line, then wait for a prompt (as it shows on the screen: trailing blanks trimmed). */
async function run(t: Term, line: string, prompt: string): Promise<string> {
  t.write(line + KEY.enter);
  return t.waitFor(new RegExp(`^${prompt.trimEnd().replace(/[>()]/g, '\\$&')}$`, 'm'));
}

async function started(t: Term): Promise<string> {
  return t.waitFor(/^1>$/m, 30000);
}

// The tests run side by side (each has its own terl): terl's start-up is most of their time.
describe.skipIf(ptySkipReason !== '').concurrent(`terl in a terminal${ptySkipReason ? ` (skipped: ${ptySkipReason})` : ''}`, { timeout: 60000 }, () => {
  it('shows the banner and the first prompt', async (ctx) => {
    const screen = await started(terl(ctx));
    expect(screen.split('\n').slice(0, 2)).toEqual(['Eshell terl 0.1.0  (abort with ^G)', '1>']);
  });

  it('evaluates an edited line: `1+` Left Left, insert, End, the rest, Enter', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('1+' + KEY.left + KEY.left + '2*' + KEY.end + '3.');
    await t.waitFor(/^1> 2\*1\+3\.$/m);
    const screen = await run(t, '', '2> ');
    expect(screen).toContain('1> 2*1+3.\n5\n2>');
  });

  it('takes an expression over several lines', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('X = 1 +' + KEY.enter);
    await t.waitFor(/^1> X = 1 \+$/m);
    const screen = await run(t, '2.', '2> ');
    expect(screen).toMatch(/1> X = 1 \+\n(.*)2\.\n3\n2>/);
  });

  it('feeds a pasted block of expressions line by line, in order', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('A = 20.\rB = 22.\rA + B.\r');
    const screen = await t.waitFor(/^4>$/m);
    expect(screen).toContain('1> A = 20.\n20\n2> B = 22.\n22\n3> A + B.\n42\n4>');
  });

  it('completes `lis` to `lists:`, `lists:rev` to `lists:reverse(`, and lists the candidates for `lists:se`', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('lis' + KEY.tab);
    await t.waitFor(/^1> lists:$/m);
    t.write('rev' + KEY.tab);
    await t.waitFor(/^1> lists:reverse\($/m);
    t.write(KEY.ctrl('u') + 'lists:se' + KEY.tab);
    const screen = await t.waitFor(/^1> lists:se\n.*\n1> lists:se$/m);
    const listed = /^1> lists:se\n(.*)\n1> lists:se$/m.exec(screen)![1]!;
    // erl lists `search/2  seq/2     seq/3`: names in columns as wide as the longest name plus 4
    expect(listed.split(/\s+/)).toEqual(expect.arrayContaining(['seq/2', 'seq/3']));
    expect(listed).toMatch(/^se\w*\/\d +se/);
  });

  it('keeps the line being typed while a spawned process prints', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    await run(t, 'spawn(fun() -> timer:sleep(300), io:format("hello~n") end).', '2> ');
    t.write('lists:');
    const screen = await t.waitFor(/^hello\n2> lists:$/m);
    expect(screen).toMatch(/1> spawn\(fun\(\) -> timer:sleep\(300\), io:format\("hello~n"\) end\)\.\n<0\.\d+\.0>\nhello\n2> lists:$/);
    const after = await run(t, 'seq(1, 3).', '3> ');
    expect(after).toContain('2> lists:seq(1, 3).\n[1,2,3]\n3>');
  });

  it('keeps history across sessions in TERL_HISTORY', async (ctx) => {
    const file = join(home, 'across');
    const first = terl(ctx, { TERL_HISTORY: file });
    await started(first);
    await run(first, 'Y = 6 * 7.', '2> ');
    first.write('q().' + KEY.enter);
    expect(await first.exited()).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('Y = 6 * 7.\n');

    const second = terl(ctx, { TERL_HISTORY: file });
    await started(second);
    second.write(KEY.up + KEY.up);
    await second.waitFor(/^1> Y = 6 \* 7\.$/m);
    const screen = await run(second, '', '2> ');
    expect(screen).toContain('1> Y = 6 * 7.\n42\n2>');
  });

  it('prints errors in red when colour is on, and no colour with NO_COLOR', async (ctx) => {
    const t = terl(ctx, { NO_COLOR: '' });
    await started(t);
    await run(t, '1/0.', '2> ');
    expect(t.raw()).toMatch(/\x1b\[31m\*\* exception error: an error occurred when evaluating an arithmetic expression/);
    const plain = terl(ctx);
    await started(plain);
    await run(plain, '1/0.', '2> ');
    expect(plain.screen()).toContain('** exception error: an error occurred when evaluating an arithmetic expression');
    expect(plain.raw()).not.toMatch(/\x1b\[3\dm/);
  });

  it('Ctrl-G i interrupts a long evaluation, c goes back to the shell', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('timer:sleep(infinity).' + KEY.enter);
    await t.waitFor('1> timer:sleep(infinity).');
    t.write(KEY.ctrl('g'));
    await t.waitFor(/^User switch command\n -->$/m);
    t.write('i' + KEY.enter);
    t.write('c' + KEY.enter);
    const screen = await t.waitFor('** exception exit: killed');
    expect(screen).toContain('User switch command\n --> i\n');
    await t.waitFor(/^2>$/m);
  });

  it('Ctrl-C shows the BREAK menu, and a exits with status 0', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write(KEY.ctrl('c'));
    await t.waitFor(BREAK_MENU.trimEnd());
    t.write('a' + KEY.enter);
    expect(await t.exited()).toBe(0);
  });

  it('BREAK p prints each process as erl’s =proc: entries, then the shell goes on', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write(KEY.ctrl('c'));
    await t.waitFor(BREAK_MENU.trimEnd());
    t.write('p' + KEY.enter);
    const screen = await t.waitFor(/^Program counter: shell:eval_loop\/3$/m);
    expect(screen).toMatch(/^=proc:<0\.0\.0>\nState: Waiting\nName: init\nSpawned as: erlang:apply\/2\n/m);
    expect(screen).toMatch(/^=proc:<0\.66\.0>\nState: Waiting\nName: user\n/m);
    await run(t, '1 + 1.', '2> ');
  });

  it('Ctrl-G s starts a second shell, j lists the jobs, c 2 connects to it and c 1 back, each with its own bindings', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    await run(t, 'X = 1.', '2> ');
    t.write(KEY.ctrl('g'));
    await t.waitFor(' -->');
    t.write('s' + KEY.enter);
    t.write('j' + KEY.enter);
    await t.waitFor(/^ {3}1  \{shell,start,\[init\]\}\n {3}2\* \{shell,start,\[\]\}$/m);
    t.write('c 2' + KEY.enter);
    await t.waitFor(/^Eshell terl .*\(abort with \^G\)\n1>$/m);
    t.write('X.' + KEY.enter);
    await t.waitFor("* 1:1: variable 'X' is unbound");
    t.write(KEY.ctrl('g'));
    await t.waitFor(/ -->$/m);
    t.write('c 1' + KEY.enter);
    await run(t, 'X.', '3> ');
    expect(t.screen()).toMatch(/^2> X\.\n1\n3>$/m);
  });

  it('TERM=dumb: a plain line-by-line shell, as erl’s there, with no escape codes at all', async (ctx) => {
    // node-pty sets TERM from its terminal name: env sets it again for terl
    const t = spawnTerm('env', ['TERM=dumb', process.execPath, TERL], {
      cwd: home,
      env: { TERL_HISTORY: join(home, 'history'), NO_COLOR: '1', HOME: home },
    });
    ctx.onTestFinished(() => t.kill());
    await t.waitFor(/^1>/m, 30000);
    t.write('X = "h\u00e9", io:format("~ts~n", [X]).' + KEY.enter);
    await t.waitFor(/^ok$/m);
    await t.waitFor(/^2>/m);
    t.write('1 +' + KEY.enter);
    await t.waitFor(/^2> 1 \+$/m);
    t.write('2.' + KEY.enter);
    await t.waitFor(/^3$/m);
    // what erl writes there too: the terminal echoes the typed lines, no continuation prompt
    expect(t.raw()).toContain('Eshell terl 0.1.0  (abort with ^G)\r\n1> X = "h\u00e9", io:format("~ts~n", [X]).\r\nh\u00e9\r\nok\r\n2> 1 +\r\n2.\r\n3\r\n3> ');
    expect(t.raw()).not.toContain('\x1b');
  });

  it('FORCE_COLOR=1 colours over NO_COLOR; FORCE_COLOR=0 takes colour away', async (ctx) => {
    const forced = terl(ctx, { NO_COLOR: '1', FORCE_COLOR: '1' });
    await started(forced);
    await run(forced, '1/0.', '2> ');
    expect(forced.raw()).toContain('\x1b[31m** exception error: an error occurred');
    expect(forced.raw()).not.toContain('Warning');
    const off = terl(ctx, { NO_COLOR: '', FORCE_COLOR: '0' });
    await started(off);
    await run(off, '1/0.', '2> ');
    expect(off.raw()).not.toMatch(/\x1b\[(1|3\d)m/);
  });

  it('the history file is the user’s alone (mode 0600)', async (ctx) => {
    const file = join(home, 'private_history');
    const t = terl(ctx, { TERL_HISTORY: file });
    await started(t);
    await run(t, '1 + 1.', '2> ');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('q(). exits with status 0', async (ctx) => {
    const t = terl(ctx);
    await started(t);
    t.write('q().' + KEY.enter);
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toContain('1> q().');
  });
});
