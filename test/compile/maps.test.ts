import { featureSuite } from './harness.js';

// test/fixtures/compile/maps.cases, each evaluated in real erl by gen.escript (results in maps.expected),
// run here typed at the shell and compiled into a module
featureSuite('maps');
