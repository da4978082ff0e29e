// The rows under the scrollback: prompt and line being edited, or a menu's question (and the
// cluster window's whole frame). The caller lays the rows out (cut to the terminal's width, cursor
// drawn); this only shows them.

import React from 'react';
import { Box, Text } from 'ink';

export function EditArea({ rows }: { rows: readonly string[] }): React.JSX.Element | null {
  if (rows.length === 0) return null;
  return (
    <Box flexDirection="column">
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate">
          {r === '' ? ' ' : r}
        </Text>
      ))}
    </Box>
  );
}
