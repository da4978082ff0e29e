// Native library functions (lists, maps, ets, string, unicode) charge the caller by the elements
// they walk or build, as BEAM's BIFs and OTP's Erlang code cost reductions by their work: a process
// looping on one over a long input (200,000 list elements, 50,000 map entries or table objects,
// 100,000 characters) ends its slice at each call and pays the debt back in turns, so 50 round
// trips with fresh processes go through while it runs; and one call's reductions show the charge.
// Without the charge a slice holds 2000 such calls and the trips take minutes (the test times out).
// (lists:append and lists:subtract are erlang's ++ and --, charged in runtime/vm/ops.ts.)
// The module looping and timing is native_reductions/hogs.erl.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTerl } from '../../helpers/terl.js';
import { LIB_TESTS } from '../transcript.js';

const CHECKED = [
  'lists:member', 'lists:reverse', 'lists:reverse/2', 'lists:nth', 'lists:nthtail', 'lists:last', 'lists:seq',
  'lists:sum', 'lists:max', 'lists:min', 'lists:duplicate', 'lists:keyfind', 'lists:keymember', 'lists:keysearch',
  'lists:keydelete', 'lists:keytake', 'lists:keyreplace', 'lists:prefix', 'lists:suffix', 'lists:delete',
  'lists:flatten', 'lists:concat', 'lists:sublist/3', 'lists:append', 'lists:append/1', 'lists:subtract',
  'maps:keys', 'maps:values', 'maps:to_list', 'maps:from_list', 'maps:from_keys', 'maps:merge', 'maps:with',
  'maps:without', 'maps:next',
  'ets:tab2list', 'ets:select', 'ets:select/3', 'ets:select_reverse', 'ets:select_count', 'ets:select_delete',
  'ets:match', 'ets:match_object', 'ets:match_delete', 'ets:insert', 'ets:info memory', 'ets:lookup bag',
  'string:tokens', 'string:split', 'string:lexemes', 'string:replace', 'string:length', 'string:str',
  'string:uppercase',
  'unicode:characters_to_binary', 'unicode:characters_to_list', 'unicode:characters_to_nfc_list',
];

it('a process looping on a long native call lets the others run, and is charged for it', async () => {
  const r = await runTerl(['-noshell', '-eval', 'c:c(hogs), hogs:run(), halt().'], '', {
    cwd: join(LIB_TESTS, 'stdlib', 'native_reductions'),
    timeoutMs: 110000,
  });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(CHECKED.map((name) => `${name} ok\n`).join(''));
}, 120000);
