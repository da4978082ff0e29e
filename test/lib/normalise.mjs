// What differs between two runs of the same shell input, on erl or terl: the banner line, pid and
// port numbers, refs, the time in reports, eunit's timings, and the memory and work counts of a crash
// report (heap_size, stack_size, reductions: BEAM's measures, which terl's processes have no equal of).
// transcript.ts (terl's side) and record.mjs (erl's) share it.
export function normalise(out) {
  return out
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/<0\.\d+\.\d+>/g, '<PID>')
    .replace(/#Ref<[\d.]+>/g, '#Ref<REF>')
    .replace(/#Port<[\d.]+>/g, '#Port<PORT>')
    .replace(/==== \d+-\w+-\d+::\d\d:\d\d:\d\d\.\d+ ===/g, '==== DATE ===')
    // eunit's timings in verbose mode: a test's own ([0.004 s] ok, shown when it took a millisecond
    // or more) goes, a group's ([done in 0.012 s]) stays without its number
    .replace(/\[\d+\.\d{3} s\] ok/g, 'ok')
    .replace(/\[done in \d+\.\d{3} s\]/g, '[done in T s]')
    .replace(/^( +(?:heap_size|stack_size|reductions): )\d+$/gm, '$1N');
}
