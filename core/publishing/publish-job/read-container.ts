import { setTimeout as sleep } from 'node:timers/promises';
import type { JobOutcome } from '../../jobs/index.js';
import type { ContainerStatus, PublishingToken } from '../ports/instagram-publisher.js';
import type { PublishRun } from './context.js';
import type { PublishStep } from './phases.js';

/**
 * The container's status once Meta is done with it, or IN_PROGRESS after the poll budget (the job comes
 * back later, the try not counted). Unconfirmed, this read is what tells whether the post is live.
 */
export async function readContainer(
  attempt: PublishRun,
  { account, containerId, unconfirmed }: Extract<PublishStep, { step: 'status' }>,
): Promise<PublishStep | JobOutcome> {
  const status = await settledStatus(attempt, account.token, containerId, unconfirmed);
  switch (status) {
    case 'PUBLISHED':
      return { step: 'published', account, mediaId: null, unconfirmed };
    case 'IN_PROGRESS':
      return { result: 'later', at: attempt.after(attempt.deps.options.statusPollMs) };
    case 'FINISHED':
      return { step: 'quota', account, containerId };
    default:
      return { step: 'discard', expired: status === 'EXPIRED' };
  }
}

async function settledStatus(
  attempt: PublishRun,
  token: PublishingToken,
  containerId: string,
  unconfirmed: boolean,
): Promise<ContainerStatus> {
  const { publisher, options } = attempt.deps;
  await attempt.checkpoint({ at: unconfirmed ? 'publish' : 'status' });
  for (let read = 1; ; read++) {
    const status = await publisher.containerStatus(token, containerId);
    if (status !== 'IN_PROGRESS' || read >= options.statusPolls) return status;
    await sleep(options.statusPollMs, undefined, { signal: attempt.run.signal });
  }
}
