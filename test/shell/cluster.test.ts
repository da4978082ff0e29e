// The cluster window's parts without a terminal: where the panes go, styled rows cut to a pane's
// width, the boxes, the F-keys, and the tour's steps.

import { describe, it, expect } from 'vitest';
import { box, compose, layout } from '../../shell/cluster_layout.js';
import { fitStyled, visibleWidth, wrapStyled, wrapWords } from '../../shell/styled_rows.js';
import { decodeKeys } from '../../shell/keys.js';
import { TOUR, Tour } from '../../shell/tour.js';
import { Glance } from '../../shell/cluster_glance.js';

describe('the cluster layout', () => {
  it('puts the nodes side by side when wide, the wire pane across the bottom', () => {
    const l = layout(120, 40, 2, { wire: true, zoom: null });
    expect(l.height).toBe(39);
    expect(l.panes).toEqual([
      { x: 0, y: 0, w: 60, h: 23 },
      { x: 60, y: 0, w: 60, h: 23 },
    ]);
    expect(l.wire).toEqual({ x: 0, y: 23, w: 120, h: 15 });
  });

  it('stacks them when narrow, and zooms one (or the wire pane) to the whole window', () => {
    expect(layout(80, 31, 2, { wire: false, zoom: null }).panes).toEqual([
      { x: 0, y: 0, w: 80, h: 14 },
      { x: 0, y: 14, w: 80, h: 15 },
    ]);
    expect(layout(80, 31, 2, { wire: true, zoom: 1 })).toEqual({ panes: [null, { x: 0, y: 0, w: 80, h: 29 }], wire: null, glance: null, height: 30 });
    expect(layout(80, 31, 2, { wire: true, zoom: 2 }).wire).toEqual({ x: 0, y: 0, w: 80, h: 29 });
    expect(layout(80, 31, 2, { wire: true, glance: 3, zoom: 3 }).glance).toEqual({ x: 0, y: 0, w: 80, h: 29 });
  });

  it('puts the glance pane, as tall as its table, under the nodes and above the wire pane', () => {
    const l = layout(120, 40, 2, { wire: true, glance: 3, zoom: null });
    expect(l.panes).toEqual([
      { x: 0, y: 0, w: 60, h: 18 },
      { x: 60, y: 0, w: 60, h: 18 },
    ]);
    expect(l.glance).toEqual({ x: 0, y: 18, w: 120, h: 5 });
    expect(l.wire).toEqual({ x: 0, y: 23, w: 120, h: 15 });
    // on a terminal too short for it, none
    expect(layout(120, 6, 2, { wire: false, glance: 3, zoom: null }).glance).toBeNull();
  });

  it('draws boxes with their titles, a double line for the focused one, and lays them out row by row', () => {
    const a = box({ x: 0, y: 0, w: 12, h: 4 }, 'a@vm', ['1> x', 'far too long a row'], true);
    expect(a).toEqual(['╔═ a@vm ═══╗', '║1> x      ║', '║far too lo║', '╚══════════╝']);
    const b = box({ x: 12, y: 0, w: 8, h: 4 }, 'b@vm', [], false);
    // a title that does not fit is left out
    expect(b[0]).toBe('┌──────┐');
    const frame = compose({ panes: [], wire: null, glance: null, height: 5 }, [{ r: { x: 12, y: 0, w: 8, h: 4 }, rows: b }, { r: { x: 0, y: 0, w: 12, h: 4 }, rows: a }], 'status', 20);
    expect(frame).toEqual([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], 'status' + ' '.repeat(14)]);
  });
});

describe('styled rows', () => {
  const dim = (s: string) => `\x1b[2m${s}\x1b[22m`;
  it('cuts at the width, carrying a style into the next row', () => {
    expect(wrapStyled(dim('abcdef'), 4)).toEqual(['\x1b[2mabcd\x1b[0m', '\x1b[2mef\x1b[22m']);
    expect(wrapStyled('ab', 4)).toEqual(['ab']);
    expect(wrapStyled('', 4)).toEqual(['']);
    // a wide character takes two columns
    expect(wrapStyled('日本語', 4)).toEqual(['日本', '語']);
  });
  it('measures and pads without counting escapes', () => {
    expect(visibleWidth(dim('abc'))).toBe(3);
    expect(fitStyled(dim('abc'), 5)).toBe(dim('abc') + '  ');
    expect(visibleWidth(fitStyled(dim('abcdefgh'), 5))).toBe(5);
  });
});

describe('the window\'s keys', () => {
  it('decodes F1-F5 in both spellings', () => {
    expect(decodeKeys('\x1bOP\x1bOQ\x1bOR\x1bOS')).toEqual(['f1', 'f2', 'f3', 'f4'].map((name) => ({ kind: 'key', name })));
    expect(decodeKeys('\x1b[12~\x1b[14~\x1b[15~')).toEqual([
      { kind: 'key', name: 'f2' },
      { kind: 'key', name: 'f4' },
      { kind: 'key', name: 'f5' },
    ]);
    // the cursor keys in application mode are unchanged
    expect(decodeKeys('\x1bOA')).toEqual([{ kind: 'key', name: 'up' }]);
  });
});

describe('the tour', () => {
  const names = ['kvs_server@vm', 'client@vm'];
  it('hints the next expression where it is to be typed, and moves on when it is typed there', () => {
    const t = new Tour();
    expect(t.hint(0, names)).toEqual([expect.stringMatching(/^tour 1\/\d+: One node/), 'next, on kvs_server@vm: kvs:start().']);
    expect(t.typed(1, 'kvs:start().', names)).toBe(false);
    expect(t.typed(0, 'kvs:start ().', names)).toBe(false);
    expect(t.typed(0, '  kvs:start().  ', names)).toBe(true);
    expect(t.wireNote).toMatch(/^Nothing: a local call never leaves the node/);
    t.typed(0, 'kvs:store(weather,  raining).', names);
    expect(t.hint(0, names)[1]).toBe('next, on client@vm (Ctrl-O to go there): net_adm:ping(kvs_server@vm).');
  });
  it('quotes a node name the shell would not take bare, and ends', () => {
    const t = new Tour();
    const odd = ['kvs_server@my-host', 'client@my-host'];
    for (const step of TOUR) expect(t.typed(step.pane, step.expr(odd), odd)).toBe(true);
    expect(TOUR[2]!.expr(odd)).toBe("net_adm:ping('kvs_server@my-host').");
    expect(t.done).toBe(true);
    expect(t.hint(1, odd)).toEqual(['tour: done. Both nodes are yours; q(). in a pane halts its node.']);
  });
});

describe('hints cut at blanks', () => {
  it('fills rows word by word, cutting only a word longer than a row', () => {
    expect(wrapWords('next, on kvs_server@vm: kvs:start().', 16)).toEqual(['next, on', 'kvs_server@vm:', 'kvs:start().']);
    expect(wrapWords('a verylongwordindeed b', 8)).toEqual(['a', 'verylong', 'wordinde', 'ed b']);
    expect(wrapWords('', 8)).toEqual(['']);
  });
});

describe('a short terminal', () => {
  it('leaves the wire pane out before a node pane loses its last row', () => {
    expect(layout(80, 12, 2, { wire: true, zoom: null }).wire).toEqual({ x: 0, y: 6, w: 80, h: 4 });
    const l = layout(80, 8, 2, { wire: true, zoom: null });
    expect(l.wire).toBeNull();
    expect(l.panes.map((p) => p!.h)).toEqual([3, 3]);
  });
});

describe('the glance pane', () => {
  it('shows each pane\'s node as its worker last told, a starting and a halted one, and the port mapper\'s others', async () => {
    let asked = 0;
    let changed = 0;
    const names = [
      { name: 'a', port: 4001 },
      { name: 'lonely', port: 4009 },
    ];
    const g = new Glance(
      async () => (asked++, names),
      () => changed++,
    );
    // news while hidden draws nothing
    g.heard(0, { node: 'a@vm', port: 4001, links: [] });
    expect(changed).toBe(0);
    g.show();
    await new Promise((r) => setImmediate(r));
    expect(asked).toBe(1);
    g.heard(1, { node: 'b@vm', port: 4002, links: ['c@vm'] });
    expect(changed).toBe(2);
    const panes = [
      { node: 'a@vm', halted: false },
      { node: 'b@vm', halted: false },
      { node: 'c', halted: false },
    ];
    expect(g.lines(panes, 80)).toEqual([
      'node       port  status         connected to',
      'a@vm       4001  not connected  none',
      'b@vm       4002  connected      c@vm',
      'c             -  starting       not known yet',
      'c@vm          -  not in window  b@vm; others not asked',
      'lonely@vm  4009  not in window  not asked',
    ]);
    panes[1]!.halted = true;
    expect(g.lines(panes, 80).slice(2, 3)).toEqual(['b@vm          -  halted         none']);
    g.hide();
    expect(g.shown).toBe(false);
  });
});
