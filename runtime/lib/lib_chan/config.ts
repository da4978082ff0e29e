// lib_chan.conf: the terms of a file:consult-able file, one per line, such as
//
//   {port, 1234}.
//   {service, nameServer, password, "ABXy45", mfa, mod_name_server, start_me_up, notUsed}.
//
// The book's code accepts any {port, _} with an integer and any 8-tuple shaped like a service,
// and then fails silently (no port, two ports, a port out of range). Here every problem is an
// exit reason in the book's vocabulary, {eDaemonConfig, Why}:
//
//   Why = enoent | eacces | ...                       the file could not be read
//       | {Line, Module, Message}                     file:consult's syntax error
//       | [{badTerm, T}, ...]                         terms that are not a port or a service
//       | noPort | {manyPorts, [P1, P2, ...]}         not exactly one port entry

import { Atom, Term, Tuple, atom, list, tuple, listToArray, NIL } from '../../vm/term.js';

export interface ServiceDef {
  /** what clients name in {startService, Name, ArgsC}; matched with =:= */
  readonly name: Term;
  /** Latin-1 bytes of the password, or none: no authentication */
  readonly password: Uint8Array | 'none';
  readonly module: Atom;
  readonly func: Atom;
  /** the service's own argument from the file (ArgsS) */
  readonly argsS: Term;
}

export interface ChanConfig {
  readonly port: number;
  readonly services: readonly ServiceDef[];
}

export type ConfigCheck = { ok: true; config: ChanConfig } | { ok: false; why: Term };

const PORT = atom('port');
const SERVICE = atom('service');
const PASSWORD = atom('password');
const MFA = atom('mfa');
const NONE = atom('none');

/** Check the consulted terms; the first matching service definition wins, as in the book. */
export function checkConfig(terms: readonly Term[]): ConfigCheck {
  const bad: Term[] = [];
  const ports: number[] = [];
  const services: ServiceDef[] = [];
  for (const t of terms) {
    const port = portOf(t);
    if (port !== undefined) {
      ports.push(port);
      continue;
    }
    const service = serviceOf(t);
    if (service !== undefined) {
      services.push(service);
      continue;
    }
    bad.push(tuple(atom('badTerm'), t));
  }
  if (bad.length > 0) return { ok: false, why: list(bad) };
  if (ports.length === 0) return { ok: false, why: atom('noPort') };
  if (ports.length > 1) return { ok: false, why: tuple(atom('manyPorts'), list(ports)) };
  return { ok: true, config: { port: ports[0], services } };
}

/** The exit reason of start_server for a config problem. */
export function daemonConfigError(why: Term): Term {
  return tuple(atom('eDaemonConfig'), why);
}

/** The first service named `name`, if any. */
export function findService(config: ChanConfig, name: Term, equal: (a: Term, b: Term) => boolean): ServiceDef | undefined {
  return config.services.find((s) => equal(s.name, name));
}

function portOf(t: Term): number | undefined {
  if (!(t instanceof Tuple) || t.size !== 2 || t.elements[0] !== PORT) return undefined;
  const p = t.elements[1];
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? p : undefined;
}

function serviceOf(t: Term): ServiceDef | undefined {
  if (!(t instanceof Tuple) || t.size !== 8) return undefined;
  const [tag, name, pw, password, mfa, module, func, argsS] = t.elements;
  if (tag !== SERVICE || pw !== PASSWORD || mfa !== MFA) return undefined;
  if (!(module instanceof Atom) || !(func instanceof Atom)) return undefined;
  const secret = password === NONE ? 'none' : latin1String(password);
  if (secret === undefined) return undefined;
  return { name, password: secret, module, func, argsS };
}

/** A charlist of bytes (a Latin-1 string) as bytes; "" is []. */
export function latin1String(t: Term): Uint8Array | undefined {
  if (t === NIL) return new Uint8Array(0);
  const items = listToArray(t);
  if (items === undefined) return undefined;
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const c = items[i];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 255) return undefined;
    out[i] = c;
  }
  return out;
}
