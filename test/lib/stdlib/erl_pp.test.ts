import { moduleTranscripts } from '../transcript.js';

// erl_pp as erl lays it out: expr/1,3 and exprs/1,3 with indentation; form/1,2, attribute/1,2,
// function/1,2 and guard/1,2 (a module's forms read with erl_scan and erl_parse and printed back,
// every kind of attribute, types and specs, {error,_}, {warning,_} and {eof,_} forms, encodings);
// legalize_vars/1; erl's function_clause for what erl_pp has no clause for. Printed with ~s or
// flattened (terl answers a flat string where OTP gives a deep list of the same characters)
moduleTranscripts('stdlib', 'erl_pp');
