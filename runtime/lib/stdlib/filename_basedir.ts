// Module filename (stdlib): basedir/2,3, where an application keeps its files by the conventions of
// each system: the XDG base directories on Linux (XDG_CACHE_HOME, XDG_CONFIG_HOME, XDG_DATA_HOME,
// XDG_CONFIG_DIRS, XDG_DATA_DIRS; an empty variable counts as unset), ~/Library on Darwin, and
// %LOCALAPPDATA% / %APPDATA% on Windows, falling back to $HOME as OTP does. The options are
// #{os => linux | darwin | windows, author => A, version => V}: the version is a last directory
// everywhere, the author a directory above the application's on Windows only. An application
// given as a binary gives binaries.

import { Atom, Bin, ErlMap, Term, atom, list, tuple } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { errorAt, fnClause, libFrame, str, utf8Bin, chardataString } from '../common.js';

type System = 'linux' | 'darwin' | 'windows';

const ONE = ['user_cache', 'user_config', 'user_data', 'user_log'];
const MANY = ['site_config', 'site_data'];

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};
const home = (): string => env('HOME') ?? '';

/** An option's text: a string or a binary, else nothing (OTP ignores what it cannot use). */
function optionText(opts: ErlMap | undefined, key: string): string | undefined {
  const v = opts?.get(atom(key));
  if (v === undefined) return undefined;
  return v instanceof Bin ? new TextDecoder().decode(v.bytes) : chardataString(v);
}

function systemOf(opts: ErlMap | undefined): System {
  const o = opts?.get(atom('os'));
  if (o === atom('windows') || o === atom('darwin')) return o.name as System;
  if (o === undefined) return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'darwin' : 'linux';
  return 'linux';
}

function paths(type: string, app: string, opts: ErlMap | undefined): string[] {
  const version = optionText(opts, 'version');
  const v = (p: string) => (version === undefined ? p : `${p}/${version}`);
  const sys = systemOf(opts);
  if (sys === 'linux') {
    const under = (base: string) => v(`${base}/${app}`);
    const dirs = (list: string) => list.split(':').filter((d) => d !== '').map((d) => under(d.replace(/\/$/, '')));
    switch (type) {
      case 'user_cache':
        return [under(env('XDG_CACHE_HOME') ?? `${home()}/.cache`)];
      case 'user_config':
        return [under(env('XDG_CONFIG_HOME') ?? `${home()}/.config`)];
      case 'user_data':
        return [under(env('XDG_DATA_HOME') ?? `${home()}/.local/share`)];
      case 'user_log':
        return [`${under(env('XDG_CACHE_HOME') ?? `${home()}/.cache`)}/log`];
      case 'site_config':
        return dirs(env('XDG_CONFIG_DIRS') ?? '/etc/xdg');
      default:
        return dirs(env('XDG_DATA_DIRS') ?? '/usr/local/share/:/usr/share/');
    }
  }
  if (sys === 'darwin') {
    const support = 'Library/Application Support';
    switch (type) {
      case 'user_cache':
        return [v(`${home()}/Library/Caches/${app}`)];
      case 'user_config':
      case 'user_data':
        return [v(`${home()}/${support}/${app}`)];
      case 'user_log':
        return [v(`${home()}/Library/Logs/${app}`)];
      default:
        return [v(`/${support}/${app}`)];
    }
  }
  const roaming = env('APPDATA') ?? `${home()}/Roaming`;
  const local = env('LOCALAPPDATA') ?? env('APPDATA') ?? `${home()}/Local`;
  const author = optionText(opts, 'author');
  const under = (base: string) => v(author === undefined ? `${base}/${app}` : `${base}/${author}/${app}`);
  switch (type) {
    case 'user_cache':
      return [`${under(local)}/Cache`];
    case 'user_config':
      return [under(roaming)];
    case 'user_data':
      return [under(local)];
    case 'user_log':
      return [`${under(local)}/Logs`];
    default:
      return [];
  }
}

function basedir(type: Term, app: Term, opts: ErlMap | undefined, args: Term[]): Term {
  const name = app instanceof Bin && app.isBinary ? new TextDecoder().decode(app.bytes) : chardataString(app);
  // binaries out when any name came in as one
  const isBin = [app, opts?.get(atom('author')), opts?.get(atom('version'))].some((t) => t instanceof Bin);
  if (name === undefined) throw fnClause('filename', 'basedir', args, args.length === 2 ? 870 : 883);
  const kind = type instanceof Atom ? type.name : undefined;
  if (kind === undefined || (!ONE.includes(kind) && !MANY.includes(kind))) {
    // the type is looked at only when the system's paths are
    throw errorAt(tuple(atom('case_clause'), type), libFrame('filename', `basedir_${systemOf(opts)}`, 1, 931), libFrame('filename', 'basedir', 3, 888));
  }
  const out = paths(kind, name, opts).map((p) => (isBin ? utf8Bin(p) : str(p)));
  return ONE.includes(kind) ? out[0] : list(out);
}

defineBif('filename', 'basedir', 2, (type, app) => basedir(type, app, undefined, [type, app]));
defineBif('filename', 'basedir', 3, (type, app, opts) => {
  if (!(opts instanceof ErlMap)) throw fnClause('filename', 'basedir', [type, app, opts], 883);
  return basedir(type, app, opts, [type, app, opts]);
});
