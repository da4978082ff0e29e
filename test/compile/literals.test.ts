import { featureSuite } from './harness.js';

// test/fixtures/compile/literals.cases, each evaluated in real erl by gen.escript (results in literals.expected),
// run here typed at the shell and compiled into a module
featureSuite('literals');
