// The Ink app: raw keys in; the session's scrollback text and editing rows out. Loaded by tui.tsx.

import React, { useCallback, useLayoutEffect, useState } from 'react';
import { Static, render, useStdout } from 'ink';
import { ShellSession, type NodeLink, type Screen } from './session.js';
import { History } from './history.js';
import type { Key } from './keys.js';
import { useRawKeys } from './raw_keys.js';
import { makeStyle } from './style.js';
import { EditArea } from './components/EditArea.js';
import { VERSION } from '../src/version.js';

/**
 * Bracketed paste: the terminal marks pasted text, so a pasted Tab is a character, not a request
 * for completion, and the block is fed to the node line by line as it is.
 */
const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/** The session's screen; until the app is mounted, writes (the banner) wait in `early`. */
class Bridge {
  early: string[] = [];
  write: ((text: string) => void) | null = null;
  render: (() => void) | null = null;
}

const NO_ITEMS: never[] = [];

/**
 * An empty <Static>. Ink draws a frame at once (not on its 32 ms throttle) whenever a <Static>
 * changes, and this one changes with every frame of the app: so the rows Ink last drew are always
 * the current ones when scrollback text is written above them.
 */
function DrawAtOnce(): React.JSX.Element {
  return <Static items={NO_ITEMS}>{() => null}</Static>;
}

function App({ session, bridge }: { session: ShellSession; bridge: Bridge }): React.JSX.Element {
  const [, setFrame] = useState(0);
  const { stdout, write } = useStdout();

  useLayoutEffect(() => {
    const redraw = () => setFrame((n) => n + 1);
    // Scrollback: Ink erases its rows, the text goes to the terminal as it is (the terminal wraps
    // it; nothing is kept), and the rows are drawn again under it. Drawing first makes the rows
    // drawn again the current ones.
    bridge.write = (text) => {
      redraw();
      write(text);
    };
    bridge.render = redraw;
    stdout.on('resize', redraw);
    return () => {
      bridge.write = null;
      bridge.render = null;
      stdout.off('resize', redraw);
    };
  }, [bridge, stdout, write]);

  useRawKeys(useCallback((keys: Key[]) => session.keys(keys), [session]));

  // Ink clears the whole screen when its rows do not fit: show the last rows that do
  let rows = session.view(stdout.columns || 80);
  const room = Math.max(1, (stdout.rows || 24) - 1);
  if (rows.length > room) rows = rows.slice(rows.length - room);
  return (
    <>
      <DrawAtOnce />
      <EditArea rows={rows} />
    </>
  );
}

/** Start the UI on the process's terminal; resolves when the session ends (the process then exits). */
export function start(link: NodeLink, opts: { banner: string; color: boolean }): Promise<void> {
  return new Promise<void>((resolve) => {
    const bridge = new Bridge();
    let instance: ReturnType<typeof render> | null = null;
    const screen: Screen = {
      write: (text) => (bridge.write ? bridge.write(text) : bridge.early.push(text)),
      render: () => bridge.render?.(),
      beep: () => process.stdout.write('\x07'),
      exit: (code) => {
        process.exitCode = code;
        // let Ink draw the last lines, give the terminal back, then leave once stdout is drained
        setImmediate(() => {
          instance?.unmount();
          process.stdout.write(BRACKETED_PASTE_OFF);
          resolve();
          const leave = () => process.exit(code);
          if (process.stdout.writableLength === 0) setImmediate(leave);
          else process.stdout.once('drain', leave);
        });
      },
    };
    const session = new ShellSession(link, screen, {
      banner: opts.banner,
      style: makeStyle(opts.color),
      history: History.load(),
      version: VERSION,
    });
    // the banner goes out before Ink draws anything
    process.stdout.write(bridge.early.join('') + BRACKETED_PASTE_ON);
    bridge.early = [];
    process.once('exit', () => process.stdout.write(BRACKETED_PASTE_OFF));
    instance = render(<App session={session} bridge={bridge} />, {
      stdout: process.stdout,
      stdin: process.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
    });
  });
}
