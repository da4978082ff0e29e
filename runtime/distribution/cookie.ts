// The magic cookie, as kernel's auth finds it when no -setcookie is given:
//   1. $HOME/.erlang.cookie
//   2. $XDG_CONFIG_HOME/erlang/.erlang.cookie (~/.config/erlang/.erlang.cookie)
//   3. neither exists: create $HOME/.erlang.cookie with 20 random capital letters, mode 0400.
// The file must be a regular file that only its owner can access.

import { randomInt } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, statSync, writeSync, chmodSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A cookie file problem, with the text auth reports (and erl then refuses to start distribution). */
export class CookieError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CookieError';
  }
}

export interface CookieEnv {
  HOME?: string;
  XDG_CONFIG_HOME?: string;
}

/**
 * The cookie text of a cookie file: printable ASCII (space included) up to the first other
 * character, after which only newlines, carriage returns and spaces may follow.
 */
export function parseCookie(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x7e) i++;
  const cookie = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text[i];
    if (c !== '\n' && c !== '\r' && c !== ' ') throw new CookieError('Bad characters in cookie');
  }
  if (cookie.length === 0) throw new CookieError('Too short cookie string');
  return cookie;
}

/** 20 random letters A..Z, like auth:create_cookie/1 (from a CSPRNG here). */
export function randomCookie(): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += String.fromCharCode(65 + randomInt(26));
  return s;
}

function readCookieFile(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CookieError(`Error when reading ${path}: ${(code ?? 'error').toLowerCase()}`);
  }
  if (!st.isFile()) throw new CookieError(`Cookie file ${path} is of type ${st.isDirectory() ? 'directory' : 'other'}`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) throw new CookieError(`Cookie file ${path} must be accessible by owner only`);
  try {
    return parseCookie(readFileSync(path, 'latin1'));
  } catch (e) {
    if (e instanceof CookieError) throw e;
    throw new CookieError(`Error when reading ${path}: ${((e as NodeJS.ErrnoException).code ?? 'error').toLowerCase()}`);
  }
}

function createCookieFile(path: string): string {
  const cookie = randomCookie();
  let fd: number;
  try {
    // O_EXCL: two nodes starting at once must not both write a different cookie
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const existing = readCookieFile(path);
      if (existing !== undefined) return existing;
    }
    throw new CookieError(`Failed to create cookie file '${path}': ${(code ?? 'error').toLowerCase()}`);
  }
  try {
    writeSync(fd, cookie);
    if (fstatSync(fd).isFile()) chmodSync(path, 0o400);
  } catch (e) {
    throw new CookieError(`Failed to write to cookie file '${path}': ${((e as NodeJS.ErrnoException).code ?? 'error').toLowerCase()}`);
  } finally {
    closeSync(fd);
  }
  return cookie;
}

/** Our cookie when none was set on the command line (reads or creates the cookie file). */
export function readCookie(env: CookieEnv = process.env): string {
  const home = env.HOME ?? homedir();
  const xdg = join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'erlang', '.erlang.cookie');
  const homePath = join(home, '.erlang.cookie');
  return readCookieFile(homePath) ?? readCookieFile(xdg) ?? createCookieFile(homePath);
}
