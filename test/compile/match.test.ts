import { featureSuite } from './harness.js';

// test/fixtures/compile/match.cases, each evaluated in real erl by gen.escript (results in match.expected),
// run here typed at the shell and compiled into a module
featureSuite('match');
