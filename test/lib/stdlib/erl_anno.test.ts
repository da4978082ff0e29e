import { moduleTranscripts } from '../transcript.js';

// erl_anno's annotations as erl builds and reads them (a line, {Line, Col}, or a keyword list that
// shrinks back to its location), on erl_scan's tokens too, and its badarg errors with erl's stacks
moduleTranscripts('stdlib', 'erl_anno');
