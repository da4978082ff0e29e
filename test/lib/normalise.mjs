// What differs between two runs of the same shell input, on erl or terl: the banner line, pid and
// port numbers, refs, the time in reports. transcript.ts (terl's side) and record.mjs (erl's) share it.
export function normalise(out) {
  return out
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/<0\.\d+\.\d+>/g, '<PID>')
    .replace(/#Ref<[\d.]+>/g, '#Ref<REF>')
    .replace(/#Port<[\d.]+>/g, '#Port<PORT>')
    .replace(/==== \d+-\w+-\d+::\d\d:\d\d:\d\d\.\d+ ===/g, '==== DATE ===');
}
