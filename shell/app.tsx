// The Ink app: raw keys in, session's scrollback and editing rows out. Loaded by tui.tsx.

import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { render, useStdin, useStdout } from 'ink';
import { ShellSession, type NodeLink, type Screen } from './session.js';
import { History } from './history.js';
import { KeyDecoder } from './keys.js';
import { makeStyle } from './style.js';
import { Scrollback, type Chunk } from './components/Scrollback.js';
import { EditArea } from './components/EditArea.js';
import { VERSION } from '../src/version.js';

/** How long a lone ESC waits for the rest of an Alt-key or escape sequence. */
const ESC_WAIT_MS = 40;

/** The scrollback's chunks and the redraw, kept in one state so a write and the rows under it are drawn together. */
interface Drawn {
  generation: number;
  chunks: Chunk[];
  tick: number;
}

/** The session's screen until the app is there: writes made before (the banner) are kept for its first frame. */
class Bridge {
  early: string[] = [];
  write: ((text: string) => void) | null = null;
  render: (() => void) | null = null;
}

function App({ session, bridge }: { session: ShellSession; bridge: Bridge }): React.JSX.Element {
  const nextId = useRef(0);
  const [drawn, setDrawn] = useState<Drawn>(() => {
    const early = bridge.early.join('');
    bridge.early = [];
    return { generation: 0, chunks: early ? [{ id: nextId.current++, text: early }] : [], tick: 0 };
  });
  // the generation Ink has drawn: chunks of a drawn generation are never needed again
  const committed = useRef(-1);
  useLayoutEffect(() => {
    committed.current = drawn.generation;
  });
  const { internal_eventEmitter: input, setRawMode } = useStdin();
  const { stdout } = useStdout();
  const decoder = useRef(new KeyDecoder());

  useEffect(() => {
    const redraw = () => setDrawn((d) => ({ ...d, tick: d.tick + 1 }));
    bridge.write = (text) => {
      const chunk = { id: nextId.current++, text };
      setDrawn((d) =>
        committed.current >= d.generation
          ? { generation: d.generation + 1, chunks: [chunk], tick: d.tick + 1 }
          : { ...d, chunks: [...d.chunks, chunk], tick: d.tick + 1 },
      );
    };
    bridge.render = redraw;
    stdout.on('resize', redraw);
    return () => {
      bridge.write = null;
      bridge.render = null;
      stdout.off('resize', redraw);
    };
  }, [bridge, stdout]);

  useEffect(() => {
    setRawMode(true);
    let escTimer: ReturnType<typeof setTimeout> | null = null;
    const onInput = (chunk: string | Buffer) => {
      if (escTimer) {
        clearTimeout(escTimer);
        escTimer = null;
      }
      const d = decoder.current;
      session.keys(d.feed(String(chunk)));
      if (d.hasPending) {
        escTimer = setTimeout(() => {
          escTimer = null;
          session.keys(d.flush());
        }, ESC_WAIT_MS);
      }
    };
    input.on('input', onInput);
    return () => {
      input.off('input', onInput);
      if (escTimer) clearTimeout(escTimer);
      setRawMode(false);
    };
  }, [input, setRawMode, session]);

  return (
    <>
      <Scrollback generation={drawn.generation} chunks={drawn.chunks} />
      <EditArea rows={session.view(stdout.columns || 80)} />
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
    instance = render(<App session={session} bridge={bridge} />, {
      stdout: process.stdout,
      stdin: process.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
    });
  });
}
