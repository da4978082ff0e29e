// Keys from the terminal in raw mode, decoded (keys.ts), for an Ink app: the single-node shell and
// the cluster window read them the same way.

import { useLayoutEffect } from 'react';
import { useStdin } from 'ink';
import { KeyDecoder, type Key } from './keys.js';

/** How long a lone ESC waits for the rest of an Alt-key or escape sequence. */
const ESC_WAIT_MS = 40;

/**
 * Raw mode on, and every chunk typed decoded and handed to `onKeys`. A layout effect: raw mode is
 * on before the first prompt reaches the screen, so a quick Ctrl-C is a key for the BREAK menu,
 * not a signal.
 */
export function useRawKeys(onKeys: (keys: Key[]) => void): void {
  const { internal_eventEmitter: input, setRawMode } = useStdin();
  useLayoutEffect(() => {
    setRawMode(true);
    const decoder = new KeyDecoder();
    let escTimer: ReturnType<typeof setTimeout> | null = null;
    const onInput = (chunk: string | Buffer) => {
      if (escTimer) {
        clearTimeout(escTimer);
        escTimer = null;
      }
      onKeys(decoder.feed(String(chunk)));
      if (decoder.hasPending) {
        escTimer = setTimeout(() => {
          escTimer = null;
          onKeys(decoder.flush());
        }, ESC_WAIT_MS);
      }
    };
    input.on('input', onInput);
    return () => {
      input.off('input', onInput);
      if (escTimer) clearTimeout(escTimer);
      setRawMode(false);
    };
  }, [input, setRawMode, onKeys]);
}
