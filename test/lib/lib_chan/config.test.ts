// lib_chan.conf validation: the terms file:consult gives, checked into a port and services.

import { describe, it, expect } from 'vitest';
import { checkConfig, daemonConfigError, findService } from '../../../runtime/lib/lib_chan/config.js';
import { atom, tuple, charlist, list, exactEqual, canonical, NIL, type Term } from '../../../runtime/vm/term.js';

const a = atom;
const port = (p: Term) => tuple(a('port'), p);
const service = (name: Term, pw: Term, m: Term = a('mod_name_server'), f: Term = a('start_me_up'), argsS: Term = a('notUsed')) =>
  tuple(a('service'), name, a('password'), pw, a('mfa'), m, f, argsS);

function why(terms: Term[]): string {
  const r = checkConfig(terms);
  if (r.ok) throw new Error('expected an error');
  return canonical(daemonConfigError(r.why));
}

describe('lib_chan config', () => {
  it('reads the example configuration', () => {
    const r = checkConfig([port(1234), service(a('nameServer'), charlist('ABXy45'))]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.port).toBe(1234);
    const s = r.config.services[0];
    expect(s.name).toBe(a('nameServer'));
    expect(Buffer.from(s.password as Uint8Array).toString('latin1')).toBe('ABXy45');
    expect([s.module.name, s.func.name]).toEqual(['mod_name_server', 'start_me_up']);
    expect(s.argsS).toBe(a('notUsed'));
  });

  it('takes password none as no authentication, and "" as an empty password', () => {
    const r = checkConfig([service(a('echo'), a('none')), port(1), service(a('empty'), NIL)]);
    expect(r.ok && r.config.services.map((s) => s.password)).toEqual(['none', new Uint8Array(0)]);
  });

  it('finds the first service of a name', () => {
    const r = checkConfig([port(2000), service(a('x'), a('none'), a('m1')), service(a('x'), a('none'), a('m2'))]);
    if (!r.ok) throw new Error('bad');
    expect(findService(r.config, a('x'), exactEqual)?.module.name).toBe('m1');
    expect(findService(r.config, charlist('x'), exactEqual)).toBeUndefined();
  });

  it('lists every bad term, in order', () => {
    const bogus = tuple(a('bogus'), a('term'));
    const strPort = port(charlist('41261'));
    expect(why([port(1234), bogus, strPort])).toBe(
      canonical(tuple(a('eDaemonConfig'), list([tuple(a('badTerm'), bogus), tuple(a('badTerm'), strPort)]))),
    );
  });

  it('rejects ports out of range', () => {
    for (const p of [0, 65536, 70000, -1]) {
      expect(why([port(p)])).toBe(canonical(tuple(a('eDaemonConfig'), list([tuple(a('badTerm'), port(p))]))));
    }
    expect(checkConfig([port(65535)]).ok).toBe(true);
  });

  it('rejects passwords that are neither a Latin-1 string nor none', () => {
    for (const pw of [a('secret'), charlist('p\u0101ss'), list([1, 2], a('x')), tuple()]) {
      const bad = service(a('s'), pw);
      expect(why([port(1), bad])).toBe(canonical(tuple(a('eDaemonConfig'), list([tuple(a('badTerm'), bad)]))));
    }
  });

  it('rejects a module or function that is not an atom, and malformed services', () => {
    const badM = service(a('s'), a('none'), charlist('mod'));
    const badF = service(a('s'), a('none'), a('m'), 42);
    const short = tuple(a('service'), a('s'), a('password'), a('none'), a('mfa'), a('m'), a('f'));
    const misspelt = tuple(a('service'), a('s'), a('passwd'), a('none'), a('mfa'), a('m'), a('f'), NIL);
    expect(why([port(1), badM, badF, short, misspelt])).toBe(
      canonical(tuple(a('eDaemonConfig'), list([badM, badF, short, misspelt].map((t) => tuple(a('badTerm'), t))))),
    );
  });

  it('needs exactly one port', () => {
    expect(why([])).toBe(canonical(tuple(a('eDaemonConfig'), a('noPort'))));
    expect(why([service(a('s'), a('none'))])).toBe(canonical(tuple(a('eDaemonConfig'), a('noPort'))));
    expect(why([port(41262), port(41263)])).toBe(canonical(tuple(a('eDaemonConfig'), tuple(a('manyPorts'), list([41262, 41263])))));
  });
});
