import type { JobOutcome } from '../../jobs/index.js';
import { addPermalink, complete } from '../post-lifecycle.js';
import type { PublishRun } from './context.js';
import { phaseText, type PublishStep } from './phases.js';

const DONE: JobOutcome = { result: 'done' };

/** The post is published; its permalink, when Meta named the media, is added (one that cannot be had is logged, not a failure). */
export async function recordPublished(
  attempt: PublishRun,
  { account, mediaId }: Extract<PublishStep, { step: 'published' }>,
): Promise<JobOutcome> {
  const { deps, post, run } = attempt;
  await attempt.move(complete(mediaId, deps.clock.now()));
  if (!mediaId) return DONE;
  try {
    await run.savePhase(phaseText({ at: 'permalink' }));
    const permalink = await deps.publisher.permalink(account.token, mediaId);
    const { from, change } = addPermalink(permalink);
    await deps.posts.update(post.id, from, change, deps.clock.now());
  } catch (err) {
    deps.log.warn({ err, postId: post.id, jobId: run.job.id }, 'published post left without its permalink');
  }
  return DONE;
}
