// File names as text, normalised as filename:join normalises them: the code path (code_path.ts)
// and the filename module (runtime/lib/stdlib/filename.ts) share these.

/**
 * Join a directory and a relative name, normalising as filename:join does: repeated slashes become
 * one, a "." component after a slash disappears, and a trailing slash goes (except for "/" itself).
 * An empty directory still gets its separator ("" and "b" join to "/b"), as in OTP.
 */
export function joinText(dir: string, rel: string | undefined): string {
  let r = '';
  const feed = (s: string) => {
    for (const ch of s) {
      if (ch === '/') {
        if (r.endsWith('/.')) r = r.slice(0, -1);
        else if (r.endsWith('/')) continue;
        else r += ch;
      } else r += ch;
    }
  };
  feed(dir);
  if (rel !== undefined && rel !== '') {
    if (r.endsWith('/.')) r = r.slice(0, -1);
    else if (!r.endsWith('/')) r += '/';
    feed(rel);
  }
  return r.length > 1 && r.endsWith('/') ? r.slice(0, -1) : r;
}

/** filename:split/1 on text: the root "/" first for an absolute name. */
export function splitText(s: string): string[] {
  const parts = s.split('/').filter((p) => p !== '');
  return s.startsWith('/') ? ['/', ...parts] : parts;
}
