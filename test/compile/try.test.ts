import { featureSuite } from './harness.js';

// test/fixtures/compile/try.cases, each evaluated in real erl by gen.escript (results in try.expected),
// run here typed at the shell and compiled into a module
featureSuite('try');
