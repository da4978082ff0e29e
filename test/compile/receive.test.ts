import { featureSuite } from './harness.js';

// test/fixtures/compile/receive.cases, each evaluated in real erl by gen.escript (results in receive.expected),
// run here typed at the shell and compiled into a module
featureSuite('receive');
