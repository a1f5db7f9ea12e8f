import type { JobOutcome } from '../../jobs/index.js';
import type { PublishRun } from './context.js';
import type { PublishStep } from './phases.js';

/** The account's publishing quota: used up, the job comes back later (the try not counted). */
export async function checkQuota(
  attempt: PublishRun,
  { account, containerId }: Extract<PublishStep, { step: 'quota' }>,
): Promise<PublishStep | JobOutcome> {
  await attempt.checkpoint({ at: 'quota' });
  const quota = await attempt.deps.publisher.publishingQuota(account.token, account.igUserId);
  if (quota.used >= quota.total) return { result: 'later', at: attempt.after(attempt.deps.options.quotaRecheckMs) };
  await attempt.checkpoint({ at: 'publish' });
  return { step: 'publish', account, containerId };
}
