// What wire([{kind,handshake}]) prints for a ping from `us` that `them` turns away (cookies differ),
// and the regexp pieces the wire view's tests share.

import { expect } from 'vitest';

export const PID = '<\\d+\\.\\d+\\.\\d+>';
export const REF = '#Ref<[\\d.]+>';
export const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The handshake lines then `pang`, as the shell shows them on `us`. */
export function rejectedPing(us: string, them: string): unknown[] {
  return [
    `${us} → ${them}  send_name  ${us} version 6`,
    `${them} → ${us}  recv_status  ok`,
    expect.stringMatching(/recv_challenge  challenge \d+$/),
    expect.stringMatching(/send_challenge_reply  digest, challenge \d+$/),
    `${them} → ${us}  recv_challenge_ack  FAILED: challenge reply rejected — cookies differ`,
    'pang',
  ];
}
