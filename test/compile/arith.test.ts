import { featureSuite } from './harness.js';

// + and - on integers run inline (src/compile/arith.ts) up to the edge of JS's safe integers, and
// fall back to the operator's function beyond it, for floats, bigints and bad operands
// (arith.expected from real erl)
featureSuite('arith');
