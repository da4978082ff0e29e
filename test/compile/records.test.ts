import { featureSuite } from './harness.js';

// test/fixtures/compile/records.cases, each evaluated in real erl by gen.escript (results in records.expected),
// run here typed at the shell and compiled into a module
featureSuite('records');
