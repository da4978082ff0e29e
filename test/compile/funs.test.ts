import { featureSuite } from './harness.js';

// test/fixtures/compile/funs.cases, each evaluated in real erl by gen.escript (results in funs.expected),
// run here typed at the shell and compiled into a module
featureSuite('funs');
