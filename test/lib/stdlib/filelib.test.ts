import { moduleTranscripts } from '../transcript.js';

// filelib as erl prints it: wildcards, is_dir/is_file/is_regular, sizes and times, ensure_dir and
// ensure_path, fold_files, find_file/find_source and safe_relative_path, in a tree each transcript
// makes in a temporary directory
moduleTranscripts('stdlib', 'filelib');
