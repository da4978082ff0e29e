import { featureSuite } from './harness.js';

// test/fixtures/compile/binary.cases, each evaluated in real erl by gen.escript (results in binary.expected),
// run here typed at the shell and compiled into a module
featureSuite('binary');
