// Module filename against real Erlang: strings, deep lists with atoms, binaries and mixes, the odd
// corners (trailing and doubled slashes, dot files, "." components), and absname relative to the
// node's working directory.

import { describe, it, expect, beforeAll } from 'vitest';
import { HAVE_ERL, erlOutcomes, enterTree, makeTree, terlOutcome } from '../kernel/file_harness.js';
import { moduleTranscripts } from '../transcript.js';

const NAMES = [
  '""',
  '"/"',
  '"//"',
  '"a"',
  '"a/"',
  '"a//"',
  '"/a"',
  '"//a"',
  '"a/b"',
  '"a//b"',
  '"a/b/"',
  '"/a/b.erl"',
  '"a/b.tar.gz"',
  '".bashrc"',
  '"a/.bashrc"',
  '"a/.b.c"',
  '"a/..b"',
  '".."',
  '"a.b/c"',
  '"a.b/"',
  '"./a/./b/."',
  '"a/../b"',
  '"x.erl"',
  '<<"">>',
  '<<"/">>',
  '<<"a//">>',
  '<<"/a/b.erl">>',
  '<<"a//b//c">>',
  '<<".bashrc">>',
  '<<"a/.b.c">>',
  '<<"a.b/">>',
  '<<"d/\\303\\251t\\303\\251.txt">>',
  "['a', \"/b\", [$/, c, \".erl\"]]",
  "foo",
  '[1000, $/, 2000, $., $e]',
];

const ONE_ARG = ['basename', 'dirname', 'extension', 'rootname', 'split', 'nativename', 'pathtype', 'flatten'];

const CASES = [
  ...ONE_ARG.flatMap((f) => NAMES.map((n) => `filename:${f}(${n})`)),
  // join
  'filename:join("a", "b")',
  'filename:join("a/", "b")',
  'filename:join("a", "/b")',
  'filename:join("", "b")',
  'filename:join("a", "")',
  'filename:join("a", ".")',
  'filename:join("a/.", "b")',
  'filename:join("./a", "b")',
  'filename:join("a//", "//b//")',
  'filename:join("/", "b")',
  'filename:join(a, b)',
  'filename:join("a", <<"b">>)',
  'filename:join(<<"a">>, "b")',
  'filename:join(<<"a/">>, <<"/b">>)',
  'filename:join(<<"a/.">>, <<"b/./c">>)',
  'filename:join(["a", "b", "c.erl"])',
  'filename:join(["/usr", "local/", "/bin"])',
  'filename:join(["a"])',
  'filename:join(["a//b/"])',
  'filename:join([<<"a">>, "b", c])',
  'filename:join(["a", [$b, "c"]])',
  'filename:join([[1000], "b"])',
  'filename:append("a", "b")',
  'filename:append("a/", <<"b">>)',
  // basename/2 and rootname/2
  'filename:basename("src/kalle.erl", ".erl")',
  'filename:basename("src/kalle.beam", ".erl")',
  'filename:basename("src/kalle.erl/", ".erl")',
  'filename:basename("src/.erl", ".erl")',
  'filename:basename(".erl", ".erl")',
  'filename:basename(<<"src/kalle.erl">>, ".erl")',
  'filename:basename("src/kalle.erl", <<".erl">>)',
  'filename:basename(<<"a/.erl">>, <<".erl">>)',
  'filename:basename(<<"a/b.erl/">>, <<".erl">>)',
  'filename:rootname("/jam.src/kalle.erl", ".erl")',
  'filename:rootname("/jam.src/foo.beam", ".erl")',
  'filename:rootname("/jam.src/.erl", ".erl")',
  'filename:rootname(".erl", ".erl")',
  'filename:rootname(<<"a/b.erl">>, ".erl")',
  'filename:rootname("a/b.erl", <<".erl">>)',
  'filename:rootname("a/b.erl", "")',
  // absname
  'filename:absname("/a/b")',
  'filename:absname("/a//b/")',
  'filename:absname("a/../b")',
  'filename:absname(".")',
  'filename:absname(<<"x">>)',
  'filename:absname(["x/", y])',
  'filename:absname("x", "/base")',
  'filename:absname("/x", "/base")',
  'filename:absname(<<"x">>, "/base")',
  'filename:absname("x", <<"/base/">>)',
  'filename:absname_join("/base", "x")',
  'file:set_cwd("sub"), R = filename:absname("q"), file:set_cwd(".."), R',
  // what is not a name
  'filename:basename(42)',
  'filename:join(1, "a")',
  'filename:join([])',
  'filename:dirname({a})',
  'filename:extension([$a, <<"b">>])',
  'filename:flatten(["a", <<"b">>, [c]])',
];

describe.skipIf(!HAVE_ERL)('filename, compared with real Erlang', () => {
  let expected: string[];
  let dir: string;

  beforeAll(async () => {
    const tree = { files: {}, dirs: ['sub'] };
    expected = await erlOutcomes(makeTree('filename-erl-', tree), CASES);
    dir = makeTree('filename-terl-', tree);
    enterTree(dir);
  });

  CASES.forEach((c, i) => {
    it(c, async () => {
      // a failing call is compared by class and reason (the frames are filename.erl's internals)
      const mine = await terlOutcome(c, dir);
      const theirs = expected[i];
      if (theirs.startsWith('exc ')) expect(mine.split(',[{')[0]).toBe(theirs.split(',[{')[0]);
      else expect(mine).toBe(theirs);
    });
  });
});

// basedir/2,3 on each system's conventions and validate/1, in transcripts recorded from erl
moduleTranscripts('stdlib', 'filename');
