import { moduleTranscripts } from '../transcript.js';

// thousands of random operations on each collection (shapes.erl), every term the same as erl's
moduleTranscripts('stdlib', 'shapes');
