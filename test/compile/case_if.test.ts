import { featureSuite } from './harness.js';

// test/fixtures/compile/case_if.cases, each evaluated in real erl by gen.escript (results in case_if.expected),
// run here typed at the shell and compiled into a module
featureSuite('case_if');
