// Issue 19, break 6: one process could take the whole node down (lists:duplicate(16#FFFFFFF, x)
// killed every process after 58 s at V8's heap ceiling). Now a process has max_heap_size as in
// OTP (process_flag/2, spawn_opt/2; values and errors in test/lib/erts/max_heap_size, recorded
// from erl), and one that would exhaust the node's memory is killed alone, with the report BEAM
// writes for max_heap_size, while the node and its other processes go on.

import { describe, expect, it } from 'vitest';
import { runTerl } from '../helpers/terl.js';

/** The report's numbers that are BEAM's (or terl's) heap accounting, not behaviour. */
function sizesOut(text: string): string {
  return text
    .replace(/=ERROR REPORT==== .* ===/g, '=ERROR REPORT==== TIME ===')
    .replace(/<0\.\d+\.0>/g, '<PID>')
    .replace(/Total Heap Size: {4}\d+/g, 'Total Heap Size:    N')
    .replace(/\{(\w+),\d+\}/g, '{$1,N}');
}

/** What erl 25 writes (the numbers aside) for a process past max_heap_size 1000 with kill and error_logger. */
const REPORT_1000 = [
  '=ERROR REPORT==== TIME ===',
  '     Process:            <PID> ',
  '     Context:            maximum heap size reached',
  '     Max Heap Size:      1000',
  '     Total Heap Size:    N',
  '     Kill:               true',
  '     Error Logger:       true',
  '     Message Queue Len:  0',
  '     GC Info:            [{old_heap_block_size,N},',
  '                          {heap_block_size,N},',
  '                          {mbuf_size,N},',
  '                          {recent_size,N},',
  '                          {stack_size,N},',
  '                          {old_heap_size,N},',
  '                          {heap_size,N},',
  '                          {bin_vheap_size,N},',
  '                          {bin_vheap_block_size,N},',
  '                          {bin_old_vheap_size,N},',
  '                          {bin_old_vheap_block_size,N}]',
  '',
].join('\n');

describe('max_heap_size', () => {
  it('a process past it is killed, with the report erl writes', async () => {
    const r = await runTerl(
      [],
      [
        '{P, R} = spawn_monitor(fun() -> process_flag(max_heap_size, #{size => 1000, kill => true, error_logger => true}), lists:seq(1, 100000) end), receive {\'DOWN\', R, process, P, Why} -> Why end.',
        // compiled code growing a list, no BIF in sight
        'F = fun L(0, A) -> A; L(N, A) -> L(N - 1, [N | A]) end.',
        '{P2, R2} = spawn_opt(fun() -> length(F(1000000, [])) end, [monitor, {max_heap_size, 100000}]), receive {\'DOWN\', R2, process, P2, Why2} -> Why2 end.',
        '{P3, R3} = spawn_opt(fun() -> exit(length(F(1000, []))) end, [monitor, {max_heap_size, 100000}]), receive {\'DOWN\', R3, process, P3, Why3} -> Why3 end.',
      ].join('\n') + '\n',
    );
    const out = sizesOut(r.stdout);
    expect(out).toContain(`1> ${REPORT_1000}\nkilled\n2> `);
    expect(out).toContain('3> =ERROR REPORT==== TIME ===\n     Process:            <PID> \n     Context:            maximum heap size reached\n     Max Heap Size:      100000\n');
    expect(out).toContain('\nkilled\n4> 1000\n5> ');
  });
});

describe('a process that would exhaust the node', () => {
  it('lists:duplicate(16#FFFFFFF, x): the evaluator is killed alone, the shell and other processes go on', async () => {
    const r = await runTerl(
      [],
      [
        'register(keeper, spawn(fun() -> receive {From, stop} -> From ! stopped end end)).',
        'lists:duplicate(16#FFFFFFF, x).',
        '2 + 2.',
        'keeper ! {self(), stop}, receive M -> M end.',
        'length(lists:duplicate(1000, x)).',
      ].join('\n') + '\n',
      { timeoutMs: 60000 },
    );
    const out = sizesOut(r.stdout);
    expect(out).toMatch(
      /^2> =ERROR REPORT==== TIME ===\n {5}Process: {12}<PID> \n {5}Context: {12}maximum heap size reached\n {5}Max Heap Size: {6}\d+\n/m,
    );
    expect(out).toContain('\n** exception exit: killed\n3> 4\n4> stopped\n5> 1000\n');
  }, 60000);
});
