// The busy wait's policy, driven with made-up clock readings (milliseconds): when it polls after
// work, when a chain of passes ends, and how it pauses after the thread was preempted mid-chain.

import { describe, expect, it } from 'vitest';
import { BusyWait, MAX_PAUSE_MS, MIN_PAUSE_MS } from '../../runtime/vm/busy_wait.js';

/** Passes every 0.01 ms from `from` until the chain ends; the time of the last pass. */
function runChain(b: BusyWait, from: number): number {
  let t = from;
  while (b.pass(t)) t += 0.01;
  return t;
}

describe('busy wait', () => {
  it('polls for its window after work, then stops', () => {
    const b = new BusyWait(1);
    expect(b.workDone(10)).toBe(true);
    expect(b.pass(10.01)).toBe(true);
    const end = runChain(b, 10.02);
    expect(end).toBeGreaterThanOrEqual(11);
    expect(end).toBeLessThan(11.02);
    expect(b.polling).toBe(false);
  });

  it('starts one chain at a time; work during a chain extends it', () => {
    const b = new BusyWait(1);
    expect(b.workDone(0)).toBe(true);
    expect(b.pass(0.1)).toBe(true);
    expect(b.workDone(0.2)).toBe(false);
    // work came in between: a long gap is not a preemption
    expect(b.pass(0.9)).toBe(true);
    expect(b.pass(1.1)).toBe(true);
    expect(runChain(b, 1.11)).toBeGreaterThanOrEqual(1.2);
  });

  it('never polls with a window of 0 (+sbwt none)', () => {
    const b = new BusyWait(0);
    expect(b.workDone(0)).toBe(false);
    expect(b.polling).toBe(false);
  });

  it('a pass long after the last one, with no work between, stops polling for a pause', () => {
    const b = new BusyWait(1);
    b.workDone(0);
    expect(b.pass(0.01)).toBe(true);
    expect(b.pass(0.6)).toBe(false);
    expect(b.pausedTill).toBe(0.6 + MIN_PAUSE_MS);
    // work during the pause: the node sleeps after it
    expect(b.workDone(1)).toBe(false);
    expect(b.workDone(0.6 + MIN_PAUSE_MS)).toBe(true);
  });

  it('pauses twice as long when preempted again soon after a pause, up to the longest', () => {
    const b = new BusyWait(1);
    let t = 0;
    const pauses: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.workDone(t);
      b.pass(t + 0.01);
      expect(b.pass(t + 1)).toBe(false);
      pauses.push(b.pausedTill - (t + 1));
      // the next work right after the pause ends
      t = b.pausedTill;
    }
    expect(pauses).toEqual([5, 10, 20, 40, 80, 160, 200, 200].map((p) => Math.min(p, MAX_PAUSE_MS)));
  });

  it('the pause is short again after a calm while', () => {
    const b = new BusyWait(1);
    const preemptedAfterWorkAt = (t: number): void => {
      expect(b.workDone(t)).toBe(true);
      b.pass(t + 0.01);
      expect(b.pass(t + 0.5)).toBe(false);
    };
    preemptedAfterWorkAt(0);
    preemptedAfterWorkAt(b.pausedTill);
    expect(b.pausedTill).toBe(0.5 + MIN_PAUSE_MS + 0.5 + 2 * MIN_PAUSE_MS);
    // two seconds of work and polling without a preemption
    const t = b.pausedTill + 2000;
    preemptedAfterWorkAt(t);
    expect(b.pausedTill).toBe(t + 0.5 + MIN_PAUSE_MS);
  });
});
