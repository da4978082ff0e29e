import { moduleTranscripts } from '../transcript.js';

// erl_parse as erl prints it: expressions, terms and forms in the abstract format (line and
// {Line, Col} annotations), abstract/normalise/tokens, and syntax errors with their locations
moduleTranscripts('stdlib', 'erl_parse');
