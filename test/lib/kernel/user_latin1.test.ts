import { moduleTranscripts } from '../transcript.js';

// erl's `user` with no terminal (piped stdio, -noshell) is a latin1 device: io:getopts/0 says so,
// characters above 255 are written as \x{HHH}, and io:setopts([{encoding,unicode}]) changes it
moduleTranscripts('kernel', 'user_latin1');
