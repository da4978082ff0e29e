// What the node printed, above the line being edited: Ink's <Static>, so it is written once and
// never redrawn, and output from other processes lands above the prompt, not in the typed line.

import React from 'react';
import { Static, Text } from 'ink';

export interface Chunk {
  id: number;
  /** complete lines, ending in '\n' */
  text: string;
}

/**
 * The chunks not yet written. `generation` is the <Static>'s key: a <Static> keeps every item it
 * was ever given, so once Ink has written them the owner starts a new generation with only the new
 * chunks, and memory stays flat however long the session runs.
 */
export function Scrollback({ generation, chunks }: { generation: number; chunks: Chunk[] }): React.JSX.Element {
  return (
    <Static key={generation} items={chunks}>
      {(c) => <Text key={c.id}>{lastNewlineDropped(c.text)}</Text>}
    </Static>
  );
}

/** A Text is its lines; the final newline would add an empty one (and an empty Text has no line). */
function lastNewlineDropped(text: string): string {
  const t = text.endsWith('\n') ? text.slice(0, -1) : text;
  return t === '' ? ' ' : t;
}
