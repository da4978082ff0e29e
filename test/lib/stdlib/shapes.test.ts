import { moduleTranscripts } from './collections.js';

// thousands of random operations on each collection (shapes.erl), every term the same as erl's
moduleTranscripts('shapes');
