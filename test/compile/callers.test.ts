import { featureSuite } from './harness.js';

// A stack trace caught inside compiled code holds the frames of the catching function's callers,
// up to BEAM's backtrace_depth (8): caught in a caller, in the deepest call, by nested catches,
// by catch, re-raised with erlang:raise/3, past tail calls, funs and lists:map, and never-returning
// calls (test/fixtures/compile/callers.erl, compiled by erlc for callers.expected).
featureSuite('callers');
