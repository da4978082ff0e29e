// lists:sort/usort: integers take a numeric sort, anything else compares terms (a transcript
// recorded from erl); and a long sort is charged as the work it is: the process's reductions grow
// with the list, and a process sorting long lists in a loop lets the others run, as on BEAM,
// where lists:sort is Erlang code and so preemptible.

import { expect, it } from 'vitest';
import { moduleTranscripts } from '../transcript.js';
import { runTerl } from '../../helpers/terl.js';

moduleTranscripts('stdlib', 'lists_sort');

it('a process sorting long lists in a loop does not keep the others from running', async () => {
  const eval_ = [
    'L = [{rand:uniform(1000000)} || _ <- lists:seq(1, 200000)],',
    'Sorter = spawn(fun Loop() -> lists:sort(L), Loop() end),',
    '{reductions, R0} = process_info(self(), reductions),',
    'lists:sort(L),',
    '{reductions, R1} = process_info(self(), reductions),',
    // 200 round trips to fresh processes while the sorter runs
    '[begin Me = self(), spawn(fun() -> Me ! I end), receive I -> ok end end || I <- lists:seq(1, 200)],',
    'exit(Sorter, kill),',
    'io:format("sort charged ~p~n", [R1 - R0 >= 200000]), halt().',
  ].join(' ');
  const r = await runTerl(['-noshell', '-eval', eval_], '', { timeoutMs: 60000 });
  expect(r.stdout).toBe('sort charged true\n');
}, 70000);
