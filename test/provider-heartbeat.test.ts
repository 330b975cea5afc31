import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatWhile } from '../activities/send/provider';

/** A provider that answers only once the activity has heartbeaten `beats` times while waiting. */
function providerAnsweringAfter(env: MockActivityEnvironment, beats: number, answer: () => Promise<string>) {
  let heard = 0;
  let settle!: (p: Promise<string>) => void;
  const call = new Promise<string>((resolve) => (settle = resolve));
  env.on('heartbeat', () => {
    heard++;
    if (heard === beats) settle(answer());
  });
  return { call, heard: () => heard };
}

/** Resolves at the activity's next heartbeat. */
const nextBeat = (env: MockActivityEnvironment) =>
  new Promise<void>((resolve) => env.once('heartbeat', resolve));

describe('An activity waiting on the email provider', () => {
  // The beats are an interval's: once every interval set is cleared, no beat can follow (seen at
  // once, rather than by waiting for beats that do not come).
  let intervals: { set: jest.SpyInstance; cleared: jest.SpyInstance };
  beforeEach(() => {
    intervals = { set: jest.spyOn(global, 'setInterval'), cleared: jest.spyOn(global, 'clearInterval') };
  });
  afterEach(() => jest.restoreAllMocks());
  const everyIntervalCleared = () => {
    const handles = intervals.set.mock.results.map((r) => r.value as unknown);
    expect(handles.length).toBeGreaterThan(0);
    expect(handles.filter((h) => !intervals.cleared.mock.calls.some(([c]) => c === h))).toEqual([]);
  };

  it('when the provider takes several beats to answer, then the activity heartbeats while it waits and stops once it has the answer', async () => {
    const env = new MockActivityEnvironment();
    const provider = providerAnsweringAfter(env, 3, async () => 'accepted');

    await expect(env.run(() => heartbeatWhile(provider.call, 5))).resolves.toBe('accepted');

    expect(provider.heard()).toBe(3);
    everyIntervalCleared();
  });

  it('when the provider call fails, then the failure reaches the caller and the heartbeats stop', async () => {
    const env = new MockActivityEnvironment();
    const provider = providerAnsweringAfter(env, 2, () => Promise.reject(new Error('no response')));

    await expect(env.run(() => heartbeatWhile(provider.call, 5))).rejects.toThrow('no response');

    expect(provider.heard()).toBe(2);
    everyIntervalCleared();
  });

  it('when the activity is cancelled (a worker past its shutdown grace) while the provider has not answered, then it stops waiting with the cancellation and a late answer is ignored', async () => {
    const env = new MockActivityEnvironment();
    let answer!: (value: string) => void;
    const call = new Promise<string>((resolve) => (answer = resolve));

    const waiting = env.run(() => heartbeatWhile(call, 5));
    await nextBeat(env); // it has been waiting a beat
    env.cancel('WORKER_SHUTDOWN');

    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
    everyIntervalCleared();
    answer('accepted too late');
  });
});
