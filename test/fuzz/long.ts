// The long fuzz run: 100,000 seeded inputs per target (test/fuzz/targets.ts), each target's
// figures printed as a table: inputs, crashes, hangs, whether the node served afterwards, the
// peak resident memory (the terl node's, or this process's for in-process targets) and the time.
//
//   npm run build && npx vite-node test/fuzz/long.ts [inputs per target] [target ...]
//
// Live targets start their own port mapper and nodes on free ports and stop them at the end.

import { stopAll } from '../helpers/dist_nodes.js';
import { TARGETS, run } from './targets.js';

const n = Number(process.argv[2] ?? 100_000);
const names = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(TARGETS);
const rows: string[] = ['target | inputs | crashes | hangs | serving after | peak MB | seconds', '--- | --- | --- | --- | --- | --- | ---'];
try {
  for (const name of names) {
    const make = TARGETS[name];
    if (make === undefined) throw new Error(`no target ${name}; targets: ${Object.keys(TARGETS).join(', ')}`);
    const f = await run(make(), n, 0x19_2026, 1000);
    rows.push(`${f.target} | ${f.inputs} | ${f.crashes} | ${f.hangs} | ${f.aliveAfter ? 'yes' : 'NO'} | ${f.peakMb ?? '?'} | ${f.seconds}`);
    console.log(rows[rows.length - 1]);
    for (const x of f.failures) console.log(`  ${x.split('\n')[0]}`);
  }
} finally {
  await stopAll();
}
console.log('\n' + rows.join('\n'));
process.exit(0);
