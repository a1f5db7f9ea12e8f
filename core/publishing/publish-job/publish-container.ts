import { PublishFailure } from '../ports/instagram-publisher.js';
import type { PublishRun } from './context.js';
import type { PublishStep } from './phases.js';

/** media_publish, once (the phase `publish` is recorded before it: a run that takes over reads the container first). */
export async function publishContainer(
  attempt: PublishRun,
  { account, containerId }: Extract<PublishStep, { step: 'publish' }>,
): Promise<PublishStep> {
  const mediaId = await attempt.deps.publisher.publish(account.token, account.igUserId, containerId);
  return { step: 'published', account, mediaId, unconfirmed: true };
}

/** Whether a failure of media_publish leaves the post possibly live: anything but a refusal Meta answered. */
export function publishMayHaveGoneThrough(error: unknown): boolean {
  return !(error instanceof PublishFailure && error.kind !== 'unknown_outcome');
}
