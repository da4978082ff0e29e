#!/usr/bin/env node
// Records what real erl prints for test/lib/<app>/<name>.in into <name>.out (normalised as
// transcript.ts normalises terl's output). Usage: node test/lib/record.mjs test/lib/stdlib/queue.in ...
// Run in the .in file's folder, so a transcript can c(Mod) the .erl files beside it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { normalise } from './normalise.mjs';

for (const file of process.argv.slice(2)) {
  const input = readFileSync(file, 'utf8');
  const out = execFileSync('erl', [], { input, cwd: dirname(resolve(file)), encoding: 'utf8', timeout: 600000 }); // (erl takes minutes over shell/deep_nesting.in on a busy machine)
  writeFileSync(file.replace(/\.in$/, '.out'), normalise(out));
  console.log(`recorded ${file.replace(/\.in$/, '.out')}`);
}
