// An application whose top process crashes: erl prints proc_lib's crash report of the application
// master (heap size, reductions and all, which terl cannot match) and then the application
// controller's report; only the latter, and what follows, is checked here, as erl prints it.
import { it, expect } from 'vitest';
import { join } from 'node:path';
import { runTerl } from '../../helpers/terl.js';
import { LIB_TESTS } from '../transcript.js';
import { normalise } from '../normalise.mjs';

const cwd = join(LIB_TESTS, 'kernel');
const crash = (type: string) =>
  `c(bank_app).\napplication:start(bank, ${type}).\nbank_server ! crash, timer:sleep(300).\napplication:which_applications().\n`;

it('application: a temporary application whose top process dies is reported, and the node goes on', async () => {
  const r = await runTerl([], crash('temporary'), { cwd, timeoutMs: 30000 });
  expect(normalise(r.stdout)).toContain(
    [
      '3> bank_app:prep_stop({state,[opening]})',
      'bank_app:stop({prepped,{state,[opening]}})',
      '=INFO REPORT==== DATE ===',
      '    application: bank',
      '    exited: robbed',
      '    type: temporary',
      '',
      'ok',
      '4> [{stdlib,"ERTS  CXC 138 10","4.2"},',
      ' {kernel,"ERTS  CXC 138 10","8.5.3"}]',
    ].join('\n'),
  );
}, 30000);

it('application: a permanent application whose top process dies takes the node down', async () => {
  const r = await runTerl([], crash('permanent'), { cwd, timeoutMs: 30000 });
  expect(normalise(r.stdout)).toContain(
    [
      '=INFO REPORT==== DATE ===',
      '    application: bank',
      '    exited: robbed',
      '    type: permanent',
      '',
      '{"Kernel pid terminated",application_controller,"{application_terminated,bank,robbed}"}',
    ].join('\n'),
  );
  expect(r.stdout).not.toContain('4>');
  expect(r.code).toBe(1);
}, 30000);
