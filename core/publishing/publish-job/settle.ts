import { MAX_TRIES } from '../../jobs/index.js';
import type { JobOutcome } from '../../jobs/index.js';
import { endedUnpublished, fail } from '../post-lifecycle.js';
import { message } from '../../shared/index.js';
import { describePostError, metaSaid, postError, type PostError } from '../post.js';
import { PublishFailure } from '../ports/instagram-publisher.js';
import { PostFailed, PostGone, type PublishDependencies, type PublishRun } from './context.js';
import { ContainerExpired } from './discard-containers.js';
import type { PublishStep } from './phases.js';
import { publishMayHaveGoneThrough } from './publish-container.js';

/** What a failure in `step` means for the post and the job. */
export async function settle(attempt: PublishRun, step: PublishStep, error: unknown): Promise<JobOutcome> {
  const { deps, run, post } = attempt;
  if (error instanceof PostGone) return outcomeOf(deps, post.id);
  const lastTry = run.job.attempts >= MAX_TRIES;
  const account = 'account' in step ? step.account : undefined;
  if (mayBeLive(step, error)) {
    // The post may be live: never fail it (a retry would post it twice); only the container can tell.
    const uncheckable = cannotCheck(error);
    if (uncheckable && account) await deps.tokens.markNeedsReconnect(account.persona.userId, account.persona.num);
    if (!uncheckable && !lastTry) return { result: 'retry', error: describe(error) };
    return end(attempt, postError('publish_unverified'));
  }
  if (error instanceof PostFailed) return end(attempt, error.error);
  if (!(error instanceof PublishFailure)) {
    deps.log.error({ err: error, postId: post.id, jobId: run.job.id }, 'publishing a post failed unexpectedly');
    if (!lastTry) return { result: 'retry', error: describe(error) };
    return end(attempt, postError('publish_failed', message('post_publish_failed_unexpectedly')));
  }
  const meta = { metaCode: error.metaCode, metaSubcode: error.metaSubcode };
  switch (error.kind) {
    case 'token_expired':
      if (account) await deps.tokens.markNeedsReconnect(account.persona.userId, account.persona.num);
      return end(attempt, postError('persona_oauth_expired', undefined, meta));
    case 'rejected_media':
      return end(attempt, postError('media_rejected', metaSaid(error.message), meta));
    case 'permanent':
      return end(attempt, postError('publish_failed', metaSaid(error.message), meta));
    case 'transient':
    case 'unknown_outcome':
      if (!lastTry) return { result: 'retry', error: describe(error) };
      return end(
        attempt,
        postError('publish_failed', error instanceof ContainerExpired ? message('post_container_expired') : metaSaid(error.message), meta),
      );
  }
}

/** Whether the post may be live, unrecorded, when `error` stopped `step`. */
function mayBeLive(step: PublishStep, error: unknown): boolean {
  if (step.step === 'publish') return publishMayHaveGoneThrough(error);
  return 'unconfirmed' in step && step.unconfirmed;
}

/** The post ends `failed` or `needs_attention` (post-lifecycle's `fail`), and the job with it. */
async function end({ deps, post }: PublishRun, error: PostError): Promise<JobOutcome> {
  const { from, change } = fail(error);
  const ended = await deps.posts.update(post.id, from, change, deps.clock.now());
  if (ended && endedUnpublished(ended.status)) return { result: ended.status, error: describePostError(error) };
  return outcomeOf(deps, post.id);
}

/**
 * The job's outcome from the post as it stands, when this run did not move it: a post that ended before
 * a crash ends its job the same way (a failed job is queued again by a retry; a done one would not be).
 */
export async function outcomeOf({ posts }: Pick<PublishDependencies, 'posts'>, postId: number): Promise<JobOutcome> {
  const post = await posts.findById(postId);
  if (post && endedUnpublished(post.status)) {
    return { result: post.status, error: post.error ? describePostError(post.error) : post.status };
  }
  return { result: 'done' }; // gone, published, or back to draft/scheduled by its user
}

/** No token to read the container with: Meta refused it, or the persona's link or token is gone. */
function cannotCheck(error: unknown): boolean {
  return (error instanceof PublishFailure && error.kind === 'token_expired') || error instanceof PostFailed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
