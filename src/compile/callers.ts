// The functions still running under a catch, read off the JavaScript stack.
//
// BEAM builds a stack trace when it raises, from the return addresses on the process's stack, so a
// trace caught in a function also shows that function's callers (up to backtrace_depth frames).
// terl adds frames as an exception leaves compiled functions (support.ts addFrame); the callers of
// the catching function have not been left, so their frames are found on the JavaScript stack:
// every compiled module runs as a script with a URL of its own, its Erlang functions are named JS
// functions, and each line a call runs on ends in the Erlang line of the call (context.ts callMark).
// Shell code is a script of its own too: where it is reached, the shell's (or init's) frames follow.
// terl's own library modules written in Erlang (gen_server, supervisor, ...) are not OTP's line for
// line: they add the frames erl shows under their catches themselves, so the walk neither starts in
// them nor goes through them.

import type { FrameInfo } from './support.js';
import { CALL_MARK } from './context.js';
import { findInLibrary } from '../../runtime/vm/code_path.js';

/** A compiled module's script: its functions' frames and its lines (to read the calls' marks). */
interface Script {
  readonly frames: Readonly<Record<string, FrameInfo>>;
  /** funs BEAM inlines into the function that applies them: their calls are that function's */
  readonly inlined: ReadonlySet<string>;
  readonly src: string;
  /** one of terl's library modules */
  readonly library: boolean;
  lines?: string[];
}

const scripts = new Map<string, Script>();
/** the text of the shell expressions being run (their scripts' marks tell where each call is) */
const shellSources = new Map<string, string[]>();
/** each module's scripts, oldest first: BEAM keeps a module's current and old code, no more */
const versions = new Map<string, string[]>();
let counter = 0;

/** `new Function(params..., body)` puts two lines before the body: `(function anonymous(...` and `) {` */
const HEADER_LINES = 2;
/** How many JavaScript frames a catch looks through for its callers' (a deep recursion shows its callers only within these). */
const JS_FRAMES = 400;

const MODULE_SCHEME = 'terl-module:';
const SHELL_SCHEME = 'terl-shell:';
const INIT_SCHEME = 'terl-init:';

/** A new URL for a compiled module's script (`//# sourceURL=` it, then register it). */
export function moduleScriptURL(module: string): string {
  return `${MODULE_SCHEME}${module}#${++counter}`;
}

/** The script of a module just made: its functions' frames by JS name, and its text. */
export function registerModuleScript(url: string, module: string, src: string, frames: Record<string, FrameInfo> | undefined, inlined: string[] | undefined): void {
  scripts.set(url, { frames: frames ?? {}, inlined: new Set(inlined), src, library: findInLibrary(module) !== undefined });
  const kept = versions.get(module) ?? [];
  kept.push(url);
  while (kept.length > 2) scripts.delete(kept.shift()!);
  versions.set(module, kept);
}

/** Where shell code runs: the shell process, or init running -eval (each shows its own frames under the code's). */
export type ShellPlace = 'shell' | 'init';

/**
 * The JS text that names a shell expression's script (src); its marks are read while it runs
 * (only the latest expressions are kept: a catch reads them while its expression runs).
 */
export function shellScript(place: ShellPlace, src: string): string {
  const url = `${place === 'init' ? INIT_SCHEME : SHELL_SCHEME}${++counter}`;
  shellSources.set(url, src.split('\n'));
  if (shellSources.size > 16) shellSources.delete(shellSources.keys().next().value!);
  return `\n//# sourceURL=${url}`;
}

function shellMark(url: string, jsLine: number): string | undefined {
  const text = shellSources.get(url)?.[jsLine - 1 - HEADER_LINES];
  const at = text?.lastIndexOf(CALL_MARK) ?? -1;
  return at < 0 ? undefined : text!.slice(at + CALL_MARK.length);
}

/** A caller's frame: the function, and the line of the call it is in. */
export interface CallerFrame {
  readonly fr: FrameInfo;
  readonly line: number;
}

export interface Callers {
  readonly frames: CallerFrame[];
  /** the code at the bottom was shell code, run where */
  readonly shell?: ShellPlace;
  /** erl_eval's frames where that code made the call (`function:arity:line,...`) */
  readonly at?: string;
}

interface CallSite {
  getFunctionName(): string | null;
  getScriptNameOrSourceURL(): string | null;
  getLineNumber(): number | null;
}

function jsStack(): CallSite[] {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = JS_FRAMES;
  Error.prepareStackTrace = (_, sites) => sites;
  try {
    const holder: { stack?: CallSite[] } = {};
    Error.captureStackTrace(holder, jsStack);
    return holder.stack ?? [];
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/** The Erlang line a call on this line of the script is at, or undefined when the line is no call's. */
function markedLine(script: Script, jsLine: number): number | undefined {
  const lines = (script.lines ??= script.src.split('\n'));
  const text = lines[jsLine - 1 - HEADER_LINES];
  const at = text?.lastIndexOf(CALL_MARK) ?? -1;
  return at < 0 ? undefined : Number(text!.slice(at + CALL_MARK.length));
}

/**
 * The frames of the compiled functions under the one catching (the nearest first), with
 * `after` the last frame the trace has so far (a repeat of it is shown once, as BEAM shows a
 * return address once when it repeats); at most `room` of them.
 */
export function callers(room: number, after: CallerFrame | undefined): Callers {
  const frames: CallerFrame[] = [];
  if (room <= 0 || (after !== undefined && findInLibrary(after.fr.module.name) !== undefined)) return { frames };
  let last = after;
  let skipEnclosing = false;
  for (const site of jsStack()) {
    const url = site.getScriptNameOrSourceURL() ?? '';
    if (url.startsWith(SHELL_SCHEME) || url.startsWith(INIT_SCHEME)) {
      // shell code's own funs are erl_eval's in erl, which applies them in tail position
      if (site.getFunctionName() !== 'run') continue;
      return { frames, shell: url.startsWith(INIT_SCHEME) ? 'init' : 'shell', at: shellMark(url, site.getLineNumber() ?? 0) };
    }
    const script = url.startsWith(MODULE_SCHEME) ? scripts.get(url) : undefined;
    const name = site.getFunctionName();
    if (script === undefined || name === null || !Object.hasOwn(script.frames, name)) continue;
    if (script.library) break;
    const line = markedLine(script, site.getLineNumber() ?? 0);
    // not at a call: the catching function itself, or a plain version's generator around it
    if (line === undefined) continue;
    if (skipEnclosing) {
      skipEnclosing = false;
      continue;
    }
    if (script.inlined.has(name)) skipEnclosing = true;
    // a call to a function that never returns: BEAM kept no frame for it
    if (line === 0) continue;
    const fr = script.frames[name];
    if (last !== undefined && last.fr === fr && last.line === line) continue;
    last = { fr, line };
    frames.push(last);
    if (frames.length >= room) break;
  }
  return { frames };
}
