// The BIF registry: one definition of each function, a second one refused with both places named.

import { describe, expect, it } from 'vitest';
import { defineBif, defineGenBif, lookupBif, DuplicateBifError } from '../../runtime/vm/bif_registry.js';
import '../../runtime/lib/index.js';

function dupMessage(define: () => void): string {
  try {
    define();
  } catch (e) {
    expect(e).toBeInstanceOf(DuplicateBifError);
    return (e as Error).message;
  }
  throw new Error('the second definition was accepted');
}

describe('the BIF registry', () => {
  it('refuses a second definition of the same {M, F, A}, naming where both are', () => {
    defineBif('registry_test', 'f', 1, (x) => x);
    const message = dupMessage(() => defineGenBif('registry_test', 'f', 1, function* (x) {
      return x;
    }));
    const places = [...message.matchAll(/bif_registry\.test\.ts:(\d+):\d+/g)].map((m) => Number(m[1]));
    expect(message).toMatch(/^registry_test:f\/1 is defined twice: at .*bif_registry\.test\.ts:\d+:\d+ and again at .*bif_registry\.test\.ts:\d+:\d+/);
    expect(places).toHaveLength(2);
    expect(places[0]).toBeLessThan(places[1]);
    // the first definition stays
    expect(lookupBif('registry_test', 'f', 1)?.pure).toBeDefined();
  });

  it('names the lines that called a local helper too', () => {
    const def = (name: string) => defineBif('registry_test', name, 0, () => 0);
    def('g');
    def('g2');
    const message = dupMessage(() => def('g'));
    const callers = [...message.matchAll(/called from line (\d+)/g)].map((m) => Number(m[1]));
    expect(callers).toHaveLength(2);
    expect(callers[0]).not.toBe(callers[1]);
  });

  it('another arity is another function', () => {
    defineBif('registry_test', 'h', 0, () => 0);
    expect(() => defineBif('registry_test', 'h', 1, (x) => x)).not.toThrow();
  });

  it('the library defines each of its functions once (loading it raised nothing)', () => {
    // a library file defining erlang:nodes/0 again would have thrown while runtime/lib/index.ts loaded
    expect(() => defineGenBif('erlang', 'nodes', 0, function* () {
      return 0;
    })).toThrow(/erlang:nodes\/0 is defined twice: at .*runtime\/lib\/erts\/nodes\.ts:\d+:\d+/);
  });

  it("names the erlang module's file, not the shared helper it defined the function with (erts/bif.ts)", () => {
    const again = (module: string, name: string, arity: number) => dupMessage(() => defineBif(module, name, arity, () => 0));
    expect(again('erlang', 'self', 0)).toMatch(/^erlang:self\/0 is defined twice: at .*runtime\/lib\/erts\/processes\.ts:\d+:\d+ and again/);
    expect(again('erlang', 'link', 1)).toMatch(/^erlang:link\/1 is defined twice: at .*runtime\/lib\/erts\/processes\.ts:\d+:\d+ and again/);
    expect(again('erlang', 'hd', 1)).toMatch(/^erlang:hd\/1 is defined twice: at .*runtime\/lib\/erts\/terms\.ts:\d+:\d+ and again/);
  });
});
