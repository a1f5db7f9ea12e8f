import type { JobLog, JobOutcome, JobRun } from '../../jobs/index.js';
import type { PageTokens } from '../../instagram/index.js';
import { claim } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import type { Clock } from '../../shared/index.js';
import type { ImageProcessor } from '../../images/index.js';
import type { InstagramPublisher } from '../ports/instagram-publisher.js';
import type { InstagramTokenStore } from '../../instagram/index.js';
import type { MediaStore, PublicMediaUrls } from '../../images/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import type { PostRepository } from '../ports/post-repository.js';
import { checkQuota } from '../publish-job/check-quota.js';
import { PublishRun, type PublishDependencies, type PublishPostOptions } from '../publish-job/context.js';
import { discardContainers } from '../publish-job/discard-containers.js';
import { findAccount } from '../publish-job/find-account.js';
import { makeContainers } from '../publish-job/make-containers.js';
import { firstStep, type PublishStep } from '../publish-job/phases.js';
import { publishContainer } from '../publish-job/publish-container.js';
import { readContainer } from '../publish-job/read-container.js';
import { recordPublished } from '../publish-job/record-published.js';
import { outcomeOf, settle } from '../publish-job/settle.js';

export type { PublishPostOptions } from '../publish-job/context.js';

/**
 * The worker's side of publishing (the JobHandler of PUBLISH_POST_JOB, `job.reference` = the post id):
 * the post is claimed (post-lifecycle's `claim`, the compare-and-set that requests editing it race with),
 * then taken through the steps of core/publish-job/ (PublishStep): account, containers (each image made a
 * JPEG Meta can fetch), status, quota, publish (media_publish, once), published. Progress lives in the
 * post (prepared files, container ids) and the job's phase, so a takeover resumes where the last worker
 * got to; a job entering in phase `publish` first asks the container whether the post is already live.
 */
export class PublishToInstagram {
  private readonly deps: PublishDependencies;

  constructor(
    posts: PostRepository,
    personas: PersonaRepository,
    pageTokens: PageTokens,
    tokens: InstagramTokenStore,
    publisher: InstagramPublisher,
    files: MediaStore,
    mediaUrls: PublicMediaUrls,
    images: ImageProcessor,
    clock: Clock,
    log: JobLog,
    options: PublishPostOptions,
  ) {
    this.deps = { posts, personas, pageTokens, tokens, publisher, files, mediaUrls, images, clock, log, options };
  }

  readonly handle = async (run: JobRun): Promise<JobOutcome> => {
    const post = await this.claim(run);
    if (!post) return outcomeOf(this.deps, Number(run.job.reference));
    const attempt = new PublishRun(this.deps, run, post);
    let step = firstStep(run.job.phase, post);
    try {
      for (;;) {
        const next = await take(attempt, step);
        if ('result' in next) return next;
        step = next;
      }
    } catch (error) {
      if (run.signal.aborted) throw error; // stopping or taken over: the job is released or someone else's
      return settle(attempt, step, error);
    }
  };

  /** The post, now `publishing` with this try counted; null when it is gone or no longer to be published. */
  private claim({ job }: JobRun): Promise<Post | null> {
    const { from, change } = claim(job.attempts);
    return this.deps.posts.update(Number(job.reference), from, change, this.deps.clock.now());
  }
}

/** One step: the next one, or how the job ends. */
function take(attempt: PublishRun, step: PublishStep): Promise<PublishStep | JobOutcome> {
  switch (step.step) {
    case 'account':
      return findAccount(attempt, step);
    case 'containers':
      return makeContainers(attempt, step);
    case 'status':
      return readContainer(attempt, step);
    case 'discard':
      return discardContainers(attempt, step);
    case 'quota':
      return checkQuota(attempt, step);
    case 'publish':
      return publishContainer(attempt, step);
    case 'published':
      return recordPublished(attempt, step);
  }
}
