// The terminal UI in a real terminal (node-pty), driven by a fake node (fixtures/fake_node.mjs) so
// that what is tested is the UI alone: drawing, editing, history, completion, menus, colour.
// test/e2e/tui.test.ts does the same through the real `terl`.

import { describe, it, expect, beforeAll, afterAll, type TestContext } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { spawnTerm, killAll, KEY, ptySkipReason, type Term } from './pty.js';
import { buildTui } from './build_tui.js';
import { ROOT } from '../helpers/terl.js';
import { BREAK_MENU, USER_SWITCH_HELP } from '../../shell/break_menu.js';

const FAKE = join(ROOT, 'test', 'e2e', 'fixtures', 'fake_node.mjs');
let tui: { url: string; remove: () => void };
let home: string;

beforeAll(async (ctx) => {
  tui = await buildTui();
  home = mkdtempSync(join(tmpdir(), 'terl-tui-'));
});
afterAll(() => {
  tui?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});
// each test kills the terminals it started when it finishes; this is for any left over
afterAll(() => killAll());

/** Start the UI with the fake node in a terminal, to be killed when the test finishes. */
function shell(ctx: TestContext, env: NodeJS.ProcessEnv = {}): Term {
  const t = spawnTerm(process.execPath, [FAKE], {
    cwd: ROOT,
    env: { TERL_TUI: tui.url, TERL_HISTORY: join(home, 'history'), NO_COLOR: '1', HOME: home, ...env },
  });
  ctx.onTestFinished(() => t.kill());
  return t;
}

/** Type a line and wait for the next numbered prompt. */
async function run(t: Term, line: string, prompt: string): Promise<string> {
  t.write(line + KEY.enter);
  return t.waitFor(new RegExp(`^${prompt.trimEnd().replace(/[>()]/g, '\\$&')}$`, 'm'));
}

describe.skipIf(ptySkipReason !== '').concurrent(`the terminal UI (with a fake node)${ptySkipReason ? ` (skipped: ${ptySkipReason})` : ''}`, { timeout: 60000 }, () => {
  it('shows the banner, then the prompt', async (ctx) => {
    const t = shell(ctx);
    const screen = await t.waitFor(/^1>$/m);
    expect(screen.split('\n').slice(0, 2)).toEqual(['Eshell terl 0.1.0  (abort with ^G)', '1>']);
  });

  it('edits the line: `1+` Left Left, insert, End, more, Enter', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('1+' + KEY.left + KEY.left + '4' + KEY.end + '5.');
    await t.waitFor('1> 41+5.');
    const screen = await run(t, '', '2> ');
    expect(screen).toContain('1> 41+5.\n46\n2>');
  });

  it('Ctrl-A, Alt-F, Ctrl-K, Ctrl-E, Ctrl-Y, Alt-B, Ctrl-D, Ctrl-W', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('2 + 3.' + KEY.ctrl('a') + KEY.alt('f') + KEY.ctrl('k'));
    await t.waitFor(/^1> 2$/m);
    t.write(KEY.ctrl('a') + '40' + KEY.ctrl('e') + KEY.ctrl('y'));
    await t.waitFor(/^1> 402 \+ 3\.$/m);
    t.write(KEY.alt('b') + KEY.ctrl('d') + '2');
    await t.waitFor(/^1> 402 \+ 2\.$/m);
    t.write(KEY.end + 'xyz' + KEY.ctrl('w'));
    const screen = await run(t, '', '2> ');
    expect(screen).toContain('1> 402 + 2.\n404\n');
  });

  it('continues an expression over several lines', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('1 +' + KEY.enter);
    t.write('2.' + KEY.enter);
    const screen = await t.waitFor(/^2>$/m);
    expect(screen).toContain('1> 1 +\n2.\n3\n2>');
  });

  it('feeds a pasted block line by line, in order', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('1 + 1.\r2 + 2.\r3 + 3.\r');
    const screen = await t.waitFor(/^4>$/m);
    expect(screen).toContain('1> 1 + 1.\n2\n2> 2 + 2.\n4\n3> 3 + 3.\n6\n4>');
  });

  it('feeds a bracketed paste the same way', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    expect(t.raw()).toContain('\x1b[?2004h'); // asks the terminal to mark pastes
    t.write('\x1b[200~10 + 1.\n20 + 2.\n\x1b[201~');
    const screen = await t.waitFor(/^3>$/m);
    expect(screen).toContain('1> 10 + 1.\n11\n2> 20 + 2.\n22\n3>');
    t.write('q().' + KEY.enter);
    expect(await t.exited()).toBe(0);
    expect(t.raw()).toContain('\x1b[?2004l'); // and to stop, at the end
  });

  it('keeps the line being typed when another process prints', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    await run(t, 'later(300, hello).', '2> ');
    t.write('lists:rev');
    const screen = await t.waitFor(/^hello\n2> lists:rev$/m);
    expect(screen).toContain('1> later(300, hello).\nok\nhello\n2> lists:rev');
  });

  it('writes a flood of output whole and in order, the prompt after it', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    const screen = await run(t, 'flood(5000).', '2> ');
    const lines = screen.split('\n');
    const first = lines.indexOf('line 1');
    expect(lines.slice(first, first + 5001)).toEqual([...Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`), '2>']);
  });

  it('draws the prompt after output that has no newline, as erl does', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    const screen = await run(t, 'partial(xyz).', 'xyz2> ');
    expect(screen).toContain('1> partial(xyz).\nxyz2>');
  });

  it('completes a module, then a function, and lists ambiguous candidates as erl does', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('lis' + KEY.tab);
    await t.waitFor(/^1> lists:$/m);
    t.write('rev' + KEY.tab);
    await t.waitFor(/^1> lists:reverse\($/m);
    t.write(KEY.ctrl('u') + 'lists:se' + KEY.tab);
    const screen = await t.waitFor(/^search\/2  seq\/2     seq\/3\n1> lists:se$/m);
    expect(screen).toContain('1> lists:se\nsearch/2  seq/2     seq/3\n1> lists:se');
  });

  it('keeps history across sessions (TERL_HISTORY), Up and Down walk it', async (ctx) => {
    const env = { TERL_HISTORY: join(home, 'across') };
    const first = shell(ctx, env);
    await first.waitFor(/^1>$/m);
    await run(first, 'X = 7.', '2> ');
    first.write('1 +' + KEY.enter + '2.' + KEY.enter);
    await first.waitFor(/^3>$/m);
    first.write('q().' + KEY.enter);
    expect(await first.exited()).toBe(0);
    expect(readFileSync(env.TERL_HISTORY, 'utf8')).toBe('X = 7.\n1 +\\n2.\nq().\n');

    const second = shell(ctx, env);
    await second.waitFor(/^1>$/m);
    second.write(KEY.up);
    await second.waitFor(/^1> q\(\)\.$/m);
    second.write(KEY.up);
    await second.waitFor(/^1> 1 \+\n2\.$/m);
    second.write(KEY.up + KEY.up);
    await second.waitFor(/^1> X = 7\.$/m);
    second.write(KEY.down);
    await second.waitFor(/^1> 1 \+\n2\.$/m);
    second.write(KEY.up); // within the two rows of the entry first
    await second.waitFor(/^1> 1 \+\n2\.$/m);
    second.write(KEY.up);
    await second.waitFor(/^1> X = 7\.$/m);
    const screen = await run(second, '', '2> ');
    expect(screen).toContain('1> X = 7.\n7\n2>');
  });

  it('Ctrl-R searches the history; Enter runs what it found', async (ctx) => {
    const t = shell(ctx, { TERL_HISTORY: join(home, 'search') });
    await t.waitFor(/^1>$/m);
    await run(t, 'Abc = 12.', '2> ');
    await run(t, '5 + 5.', '3> ');
    t.write(KEY.ctrl('r') + 'Ab');
    await t.waitFor("(search)`Ab': Abc = 12.");
    t.write(KEY.enter);
    const screen = await t.waitFor(/^4>$/m);
    expect(screen).toContain("(search)`Ab': Abc = 12.\n12\n4>");
  });

  it('Ctrl-D on an empty line does not quit (erl beeps)', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write(KEY.ctrl('d'));
    const screen = await run(t, '1 + 1.', '2> ');
    expect(screen).toContain('1> 1 + 1.\n2\n');
    expect(t.beeps()).toBeGreaterThan(0);
  });

  it('Ctrl-C shows the BREAK menu; c continues with the line as it was', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('4 +' + KEY.ctrl('c'));
    await t.waitFor(BREAK_MENU.trimEnd());
    t.write('v' + KEY.enter);
    await t.waitFor('Erlang (terl) emulator version 0.1.0');
    t.write(KEY.ctrl('c'));
    t.write('c' + KEY.enter);
    await t.waitFor(/^c\n1> 4 \+$/m);
    const screen = await run(t, ' 4.', '2> ');
    expect(screen).toContain('1> 4 + 4.\n8\n2>');
  });

  it('Ctrl-C then a exits with status 0', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write(KEY.ctrl('c'));
    await t.waitFor('(l)oaded (v)ersion');
    t.write('a' + KEY.enter);
    expect(await t.exited()).toBe(0);
  });

  it('Ctrl-G: the user switch menu, h for help, i to interrupt, c to go back', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('ab' + KEY.ctrl('g'));
    await t.waitFor(/^1> ab\nUser switch command\n -->$/m);
    t.write('h' + KEY.enter);
    await t.waitFor(USER_SWITCH_HELP.trimEnd());
    t.write('i' + KEY.enter);
    await t.waitFor('** exception exit: killed');
    t.write('c' + KEY.enter);
    const screen = await t.waitFor(/^ --> c\n1> ab$/m);
    expect(screen).toContain(' --> i\n** exception exit: killed\n --> c\n1> ab');
  });

  it('Ctrl-G q quits', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write(KEY.ctrl('g'));
    await t.waitFor(' -->');
    t.write('q' + KEY.enter);
    expect(await t.exited()).toBe(0);
  });

  it('exits with the status the node halts with', async (ctx) => {
    const t = shell(ctx);
    await t.waitFor(/^1>$/m);
    t.write('q().' + KEY.enter);
    expect(await t.exited()).toBe(0);
    const u = shell(ctx);
    await u.waitFor(/^1>$/m);
    u.write('halt(3).' + KEY.enter);
    expect(await u.exited()).toBe(3);
  });

  it('colours errors red and the prompt bold, and nothing with NO_COLOR', async (ctx) => {
    const t = shell(ctx, { NO_COLOR: '' });
    await t.waitFor(/^1>$/m);
    await run(t, 'bad.', '2> ');
    expect(t.raw()).toContain('\x1b[31m** exception error: bad argument');
    expect(t.raw()).toContain('\x1b[1m1> ');
    const plain = shell(ctx);
    await plain.waitFor(/^1>$/m);
    await run(plain, 'bad.', '2> ');
    expect(plain.raw()).not.toMatch(/\x1b\[(1|3\d)m/);
  });

  it('draws the live line even when the environment says CI', async (ctx) => {
    const t = shell(ctx, { CI: 'true' });
    await t.waitFor(/^1>$/m);
    t.write('abc');
    await t.waitFor(/^1> abc$/m);
  });
});

// What erl itself shows, for the texts the UI copies (skipped where erl is not installed).
const erlHere = spawnSync('erl', ['-version']).status === 0;

describe.skipIf(!erlHere || ptySkipReason !== '')(`the same screens as real erl${!erlHere ? ' (skipped: erl is not installed)' : ptySkipReason ? ` (skipped: ${ptySkipReason})` : ''}`, () => {
  const erl = (ctx: TestContext) => {
    const t = spawnTerm('erl', [], { cwd: home, env: { HOME: home } });
    ctx.onTestFinished(() => t.kill());
    return t;
  };

  it('the BREAK menu', async (ctx) => {
    const t = erl(ctx);
    await t.waitFor(/^1>$/m);
    t.write(KEY.ctrl('c'));
    const screen = await t.waitFor('(d)istribution');
    expect(screen).toContain(BREAK_MENU.trimEnd());
    t.write('a\n');
  });

  it('the Ctrl-G menu and its help', async (ctx) => {
    const t = erl(ctx);
    await t.waitFor(/^1>$/m);
    t.write('ab');
    await t.waitFor(/^1> ab$/m);
    t.write(KEY.ctrl('g'));
    await t.waitFor(' -->');
    t.write('h' + KEY.enter);
    const screen = await t.waitFor('this message');
    expect(screen).toContain('1> ab\nUser switch command\n --> h\n' + USER_SWITCH_HELP.trimEnd());
    t.write('q' + KEY.enter);
  });

  it('the candidates listed for `lists:se`', async (ctx) => {
    const t = erl(ctx);
    await t.waitFor(/^1>$/m);
    t.write('lists:se' + KEY.tab);
    // (erl lists the candidates, then redraws the prompt with the line: wait for both)
    const screen = await t.waitFor(/^search\/2.*\n1> lists:se$/m);
    expect(screen).toContain('1> lists:se\nsearch/2  seq/2     seq/3\n1> lists:se');
  });
});
