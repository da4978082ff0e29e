import { featureSuite } from './harness.js';

// Constructs mixed as programs mix them (test/fixtures/compile/misc.erl; misc.expected from real erl)
featureSuite('misc');
