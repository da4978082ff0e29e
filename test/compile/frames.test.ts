import { featureSuite } from './harness.js';

// Stack traces of errors raised in compiled code: frames with file and line, function_clause with
// the arguments, recursion shown once, arithmetic errors as the function's own, raise/3 keeping
// its trace (test/fixtures/compile/frames.erl, compiled by erlc for frames.expected).
featureSuite('frames');
