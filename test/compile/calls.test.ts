import { featureSuite } from './harness.js';

// test/fixtures/compile/calls.cases, each evaluated in real erl by gen.escript (results in calls.expected),
// run here typed at the shell and compiled into a module
featureSuite('calls');
