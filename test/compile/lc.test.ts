import { featureSuite } from './harness.js';

// test/fixtures/compile/lc.cases, each evaluated in real erl by gen.escript (results in lc.expected),
// run here typed at the shell and compiled into a module
featureSuite('lc');
