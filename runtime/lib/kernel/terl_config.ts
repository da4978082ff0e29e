// terl_config:parse_term/1: the text of a command-line application parameter (-kernel Key Value)
// as the term erl reads it (erl scans and parses it: '[{g1,[a@h]}]' is a list, 9100 an integer).
// OTP's application_controller does this with erl_scan and erl_parse, which terl's Erlang code
// cannot call; the language's term reader does the same here.

import { Term, atom, tuple } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { language } from '../language.js';
import { listToString } from '../../vm/term.js';

defineBif('terl_config', 'parse_term', 1, (text: Term) => {
  const s = listToString(text);
  if (s === undefined) return atom('error');
  try {
    return tuple(atom('ok'), language().parseTerm(s.trimEnd().endsWith('.') ? s : `${s}.`));
  } catch {
    return atom('error');
  }
});
