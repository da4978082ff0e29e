import { moduleTranscripts } from '../transcript.js';

// random, the deprecated Wichmann-Hill generator: seeding, its sequence as erl's, bad arguments
moduleTranscripts('stdlib', 'random');
