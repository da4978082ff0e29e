import { moduleTranscripts } from './collections.js';

// maps as erl prints it: every function of OTP 25's maps, the errors of wrong arguments, the frames
// of maps.erl under what a fun raises
moduleTranscripts('maps');
