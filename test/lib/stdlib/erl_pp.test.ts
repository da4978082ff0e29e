import { moduleTranscripts } from '../transcript.js';

// erl_pp's expressions as erl lays them out: expr/1,3 and exprs/1,3 with indentation, printed
// with ~s or flattened (terl answers a flat string where OTP gives a deep list of the same characters)
moduleTranscripts('stdlib', 'erl_pp');
