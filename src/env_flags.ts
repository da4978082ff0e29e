// ERL_AFLAGS, ERL_FLAGS and ERL_ZFLAGS, as erl reads them (man erl): ERL_AFLAGS goes before the
// command line, ERL_FLAGS then ERL_ZFLAGS after it. An -extra in a variable covers the rest of that
// variable only: its words join the command line's -extra section, followed by "--" (erlexec closes
// each variable's section with it, and init:get_plain_arguments/0 shows it).

export interface EnvArgs {
  argv: string[];
  /** for each argument: did it come from a variable? (a flag terl does not know is skipped there) */
  fromEnv: boolean[];
}

/** The command line erl would see, with the three variables' contents where erl puts them. */
export function withEnvFlags(args: string[], env: NodeJS.ProcessEnv = process.env): EnvArgs {
  const split = (text: string | undefined) => splitExtra(text === undefined ? [] : words(text));
  const a = split(env.ERL_AFLAGS);
  const cmd = splitExtra(args);
  const f = split(env.ERL_FLAGS);
  const z = split(env.ERL_ZFLAGS);
  const before: [string, boolean][] = [
    ...a.flags.map((w) => [w, true] as [string, boolean]),
    ...cmd.flags.map((w) => [w, false] as [string, boolean]),
    ...f.flags.map((w) => [w, true] as [string, boolean]),
    ...z.flags.map((w) => [w, true] as [string, boolean]),
  ];
  const closed = (p: { extra: string[] | undefined }) => (p.extra === undefined ? [] : [...p.extra, '--']);
  const extra = [...closed(a), ...(cmd.extra ?? []), ...closed(f), ...closed(z)];
  const hasExtra = [a, cmd, f, z].some((p) => p.extra !== undefined);
  const argv = [...before.map(([w]) => w), ...(hasExtra ? ['-extra', ...extra] : [])];
  const fromEnv = [...before.map(([, e]) => e), ...(hasExtra ? [false, ...extra.map(() => false)] : [])];
  return { argv, fromEnv };
}

function splitExtra(ws: string[]): { flags: string[]; extra: string[] | undefined } {
  const at = ws.indexOf('-extra');
  return at < 0 ? { flags: ws, extra: undefined } : { flags: ws.slice(0, at), extra: ws.slice(at + 1) };
}

/** A variable's words, split as a shell splits them: blanks separate, quotes and backslashes keep. */
export function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
