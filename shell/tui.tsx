// The terminal UI's entry, loaded by the CLI only when stdin and stdout are terminals.
//
// It loads the Ink app itself (shell/app.tsx) with two settings that must hold while Ink and React
// are first imported: React's production build (faster start, no development checks), and no CI
// variables, since Ink decides at import time that a CI run never redraws its live area — but
// this is a terminal, whatever the environment says.

import type { FromNode } from '../src/bridge.js';
import type { NodeLink } from './session.js';

import type { ClusterNodeStart, ClusterOptions } from './cluster_app.js';

export type { NodeLink } from './session.js';
export type { ClusterNodeStart, ClusterOptions } from './cluster_app.js';

export async function runTui(node: NodeLink, opts: { banner: string; color: boolean }): Promise<void> {
  // the node may speak (its first prompt) while the app is still loading: keep what it says
  const held = holdMessages(node);
  // raw at once: keys typed while the app loads are neither echoed by the terminal nor turned into
  // signals (a Ctrl-C is for the BREAK menu); they wait in stdin for the app
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const app = await loadInk(() => import('./app.js'));
  return app.start(held, opts);
}

/** The cluster window (shell/cluster_app.tsx): it starts the nodes itself, once it is drawn. */
export async function runClusterTui(nodes: ClusterNodeStart[], opts: ClusterOptions): Promise<void> {
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const app = await loadInk(() => import('./cluster_app.js'));
  return app.startCluster(nodes, opts);
}

/** Import an Ink app with React's production build and no CI variables (see the top of this file). */
async function loadInk<T>(load: () => Promise<T>): Promise<T> {
  const env = process.env;
  const saved: Record<string, string | undefined> = {};
  const hidden = Object.keys(env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
  for (const k of [...hidden, 'NODE_ENV']) saved[k] = env[k];
  for (const k of hidden) delete env[k];
  if (env.NODE_ENV === undefined) env.NODE_ENV = 'production';
  try {
    return await load();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
  }
}

/** A link that keeps the node's messages until someone listens, then hands them over in order. */
function holdMessages(node: NodeLink): NodeLink {
  let early: FromNode[] | null = [];
  let listener: ((m: FromNode) => void) | null = null;
  node.onMessage((m) => {
    if (listener) listener(m);
    else early?.push(m);
  });
  return {
    post: (m) => node.post(m),
    interrupt: node.interrupt,
    onMessage: (cb) => {
      listener = cb;
      const kept = early ?? [];
      early = null;
      for (const m of kept) cb(m);
    },
  };
}
