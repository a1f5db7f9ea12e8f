import { setTimeout as sleep } from 'node:timers/promises';
import { hasErrorCode } from '../errors.js';
import { MAX_TRIES } from '../job-retry.js';
import type { JobLog, JobOutcome, JobRun } from '../job-worker.js';
import type { Persona } from '../model.js';
import type { PageTokens } from '../page-token.js';
import { addPermalink, claim, complete, endedUnpublished, fail, progress, type Transition } from '../post-lifecycle.js';
import { postError, type Post, type PostError } from '../post.js';
import type { Clock } from '../ports/clock.js';
import type { ImageProcessor } from '../ports/image-processor.js';
import { PublishFailure, type ContainerStatus, type InstagramPublisher } from '../ports/instagram-publisher.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';
import type { Job } from '../ports/job-queue.js';
import type { MediaStore } from '../ports/media-store.js';
import type { PersonaRepository } from '../ports/persona-repository.js';
import type { PostRepository } from '../ports/post-repository.js';

export interface PublishPostOptions {
  /** Where Meta fetches the prepared JPEGs: this plus their `/media/<file>.jpg`. */
  publicMediaBaseUrl: string;
  /** The wait between status reads of a container. */
  statusPollMs: number;
  /** Status reads per try; still IN_PROGRESS after them: the job comes back later (the try not counted). */
  statusPolls: number;
  /** How long a post waits when the publishing quota is used up. */
  quotaRecheckMs: number;
}

/** Meta's codes for an image it downloaded and refused (format, size, aspect ratio, download failed). */
const IMAGE_REFUSALS = new Set([9004, 36000, 36001, 36003]);
const DONE: JobOutcome = { result: 'done' };

/** The post cannot go out: it fails with this error, whatever try this is. */
class PostFailed extends Error {
  constructor(readonly error: PostError) {
    super(error.message);
  }
}

/** The post went away (its user or persona was deleted) while the job ran. */
class PostGone extends Error {}

/** One run of the job: the post as it became `publishing`, the account it goes to, and whether it may be live unrecorded. */
interface Attempt {
  run: JobRun;
  post: Post;
  account?: { persona: Persona; token: string; igUserId: string };
  /** media_publish may have gone through and nothing confirmed whether: a failure now must not fail the post. */
  unverified: boolean;
}

/**
 * The worker's side of publishing (the JobHandler of PUBLISH_POST_JOB, `job.reference` = the post id):
 * the post is claimed by its status (`scheduled`/`publishing` → `publishing`, the compare-and-set that
 * requests editing it race with), each image is made a JPEG Meta can fetch, containers are made and waited
 * for, the quota is respected, and media_publish is called once. Progress lives in the post (prepared
 * files, container ids) and the job's phase, so a takeover resumes where the last worker got to; a job
 * entering in phase `publish` first asks the container whether the post is already live.
 */
export class PublishToInstagram {
  constructor(
    private readonly posts: PostRepository,
    private readonly personas: PersonaRepository,
    private readonly pageTokens: PageTokens,
    private readonly tokens: InstagramTokenStore,
    private readonly publisher: InstagramPublisher,
    private readonly files: MediaStore,
    private readonly images: ImageProcessor,
    private readonly clock: Clock,
    private readonly log: JobLog,
    private readonly options: PublishPostOptions,
  ) {}

  readonly handle = async (run: JobRun): Promise<JobOutcome> => {
    const post = await this.claim(run.job);
    if (!post) return this.outcomeOf(Number(run.job.reference));
    const attempt: Attempt = { run, post, unverified: run.job.phase === 'publish' && post.containerId !== null };
    try {
      return await this.publish(attempt);
    } catch (error) {
      if (run.signal.aborted) throw error; // stopping or taken over: the job is released or someone else's
      return this.settle(attempt, error);
    }
  };

  /** The post, now `publishing` with this try counted; null when it is gone or no longer to be published. */
  private claim(job: Job): Promise<Post | null> {
    const { from, change } = claim(job.attempts);
    return this.posts.update(Number(job.reference), from, change, this.clock.now());
  }

  private async publish(attempt: Attempt): Promise<JobOutcome> {
    const { post } = attempt;
    const account = (attempt.account = await this.account(post));
    const containerId = post.containerId ?? (await this.makeContainers(attempt));
    const status = await this.settledStatus(attempt, containerId);
    if (status === 'PUBLISHED') return this.published(attempt, null);
    attempt.unverified = false; // the container is not published: nothing went live
    if (status === 'IN_PROGRESS') return { result: 'later', at: this.after(this.options.statusPollMs) };
    if (status !== 'FINISHED') {
      await this.forgetContainers(post);
      // An expired container only waited too long (24 h): a new one is made on the next try.
      if (status === 'EXPIRED') throw new PublishFailure('transient', 'The container expired before it was published.');
      throw new PostFailed(postError('container_failed'));
    }

    await this.checkpoint(attempt.run, 'quota');
    const quota = await this.publisher.publishingQuota(account.token, account.igUserId);
    if (quota.used >= quota.total) return { result: 'later', at: this.after(this.options.quotaRecheckMs) };

    await this.checkpoint(attempt.run, 'publish');
    attempt.unverified = true;
    const mediaId = await this.publisher.publish(account.token, account.igUserId, containerId).catch((error: unknown) => {
      // A refusal Meta answered is definite; no answer (or a 5xx) leaves the outcome unknown.
      if (error instanceof PublishFailure && error.kind !== 'unknown_outcome') attempt.unverified = false;
      throw error;
    });
    return this.published(attempt, mediaId);
  }

  /** The persona's Instagram account and Page token; PostFailed when it cannot publish. */
  private async account(post: Post): Promise<NonNullable<Attempt['account']>> {
    const persona = await this.personas.findOwned(post.userId, { id: post.personaId });
    if (!persona?.instagram) throw new PostFailed(postError('persona_not_linked'));
    try {
      return { persona, token: await this.pageTokens.read(persona, persona.instagram), igUserId: persona.instagram.igUserId };
    } catch (error) {
      if (hasErrorCode(error, 'persona_oauth_expired')) {
        await this.tokens.markNeedsReconnect(persona.userId, persona.num);
        throw new PostFailed(postError('persona_oauth_expired'));
      }
      if (hasErrorCode(error, 'persona_oauth_required')) throw new PostFailed(postError('persona_oauth_required'));
      throw error;
    }
  }

  /** The container media_publish takes: the single image's, or a carousel of one item per image. */
  private async makeContainers({ run, post, account }: Attempt): Promise<string> {
    const { token, igUserId } = account!;
    let containerId: string;
    if (post.media.length === 1) {
      const imageUrl = await this.preparedImage(post, 0);
      await this.checkpoint(run, 'container');
      const altText = post.altText ?? undefined;
      containerId = await this.publisher.createImageContainer(token, igUserId, { imageUrl, caption: post.caption, altText });
    } else {
      const children: string[] = [];
      for (const [position, item] of post.media.entries()) {
        let child = item.containerId;
        if (child === null) {
          const imageUrl = await this.preparedImage(post, position);
          await this.checkpoint(run, `item:${position}`);
          child = await this.publisher.createCarouselItem(token, igUserId, { imageUrl });
          await this.saveProgress(post.id, position, { containerId: child });
        }
        children.push(child);
      }
      await this.checkpoint(run, 'carousel');
      containerId = await this.publisher.createCarouselContainer(token, igUserId, children, post.caption);
    }
    await this.change(post.id, progress({ containerId }));
    return containerId;
  }

  /** The public URL of image `position` as a JPEG Instagram takes, made (and recorded) the first time. */
  private async preparedImage(post: Post, position: number): Promise<string> {
    const item = post.media[position];
    let preparedUrl = item.preparedUrl;
    if (preparedUrl === null) {
      const bytes = await this.files.read(item.url);
      if (!bytes) throw new PostFailed(postError('media_unavailable', 'An image of this post is no longer in the media library.'));
      const jpeg = await this.images.prepareForInstagram(bytes).catch(() => {
        throw new PostFailed(postError('media_unavailable', 'An image of this post could not be decoded.'));
      });
      preparedUrl = await this.files.save(jpeg, 'jpg');
      await this.saveProgress(post.id, position, { preparedUrl });
    }
    return `${this.options.publicMediaBaseUrl}${preparedUrl}`;
  }

  /**
   * The container's status once Meta is done with it, or IN_PROGRESS after the poll budget. When the
   * post may already be live (entered in phase `publish`), this read is what tells.
   */
  private async settledStatus(attempt: Attempt, containerId: string): Promise<ContainerStatus> {
    const { run, account } = attempt;
    await this.checkpoint(attempt.run, attempt.unverified ? 'publish' : 'status');
    for (let read = 1; ; read++) {
      const status = await this.publisher.containerStatus(account!.token, containerId);
      if (status !== 'IN_PROGRESS' || read >= this.options.statusPolls) return status;
      await sleep(this.options.statusPollMs, undefined, { signal: run.signal });
    }
  }

  /** `mediaId` null: the container said PUBLISHED, and does not name the media (no id, no permalink). */
  private async published(attempt: Attempt, mediaId: string | null): Promise<JobOutcome> {
    await this.change(attempt.post.id, complete(mediaId, this.clock.now()));
    attempt.unverified = false;
    if (mediaId) await this.addPermalink(attempt, mediaId);
    return DONE;
  }

  /** The post is published already: a permalink that cannot be had is logged, not a failure. */
  private async addPermalink({ run, post, account }: Attempt, mediaId: string): Promise<void> {
    try {
      await run.savePhase('permalink');
      const permalink = await this.publisher.permalink(account!.token, mediaId);
      const { from, change } = addPermalink(permalink);
      await this.posts.update(post.id, from, change, this.clock.now());
    } catch (err) {
      this.log.warn({ err, postId: post.id, jobId: run.job.id }, 'published post left without its permalink');
    }
  }

  /** What a failure means for the post and the job. */
  private async settle(attempt: Attempt, error: unknown): Promise<JobOutcome> {
    const { run, post } = attempt;
    if (error instanceof PostGone) return this.outcomeOf(post.id);
    const lastTry = run.job.attempts >= MAX_TRIES;
    if (attempt.unverified) {
      // The post may be live: never fail it (a retry would post it twice); only the container can tell.
      const uncheckable = cannotCheck(error);
      if (uncheckable && attempt.account) await this.markNeedsReconnect(attempt.account.persona);
      if (!uncheckable && !lastTry) return { result: 'retry', error: describe(error) };
      return this.end(post, postError('publish_unverified'));
    }
    if (error instanceof PostFailed) return this.end(post, error.error);
    if (!(error instanceof PublishFailure)) {
      this.log.error({ err: error, postId: post.id, jobId: run.job.id }, 'publishing a post failed unexpectedly');
      if (!lastTry) return { result: 'retry', error: describe(error) };
      return this.end(post, postError('publish_failed', 'Publishing failed; try again later.'));
    }
    const meta = { metaCode: error.metaCode, metaSubcode: error.metaSubcode };
    switch (error.kind) {
      case 'token_expired':
        if (attempt.account) await this.markNeedsReconnect(attempt.account.persona);
        return this.end(post, postError('persona_oauth_expired', undefined, meta));
      case 'permanent':
        return this.end(post, postError(isImageRefusal(error) ? 'media_rejected' : 'publish_failed', error.message, meta));
      default:
        if (!lastTry) return { result: 'retry', error: describe(error) };
        return this.end(post, postError('publish_failed', error.message, meta));
    }
  }

  /** The post ends `failed` or `needs_attention` (post-lifecycle's `fail`), and the job with it. */
  private async end(post: Post, error: PostError): Promise<JobOutcome> {
    const { from, change } = fail(error);
    const ended = await this.posts.update(post.id, from, change, this.clock.now());
    return ended && endedUnpublished(ended.status)
      ? { result: ended.status, error: `${error.code}: ${error.message}` }
      : this.outcomeOf(post.id);
  }

  /**
   * The job's outcome from the post as it stands, when this run did not move it: a post that ended before
   * a crash ends its job the same way (a failed job is queued again by a retry; a done one would not be).
   */
  private async outcomeOf(postId: number): Promise<JobOutcome> {
    const post = await this.posts.findById(postId);
    if (post && endedUnpublished(post.status)) {
      return { result: post.status, error: post.error ? `${post.error.code}: ${post.error.message}` : post.status };
    }
    return DONE; // gone, published, or back to draft/scheduled by its user
  }

  /** Containers are forgotten so the next try makes new ones. */
  private async forgetContainers(post: Post): Promise<void> {
    await this.change(post.id, progress({ containerId: null }));
    for (const position of post.media.keys()) await this.saveProgress(post.id, position, { containerId: null });
  }

  private async change(postId: number, { from, change }: Transition): Promise<void> {
    if (!(await this.posts.update(postId, from, change, this.clock.now()))) throw new PostGone();
  }

  private async saveProgress(postId: number, position: number, progress: Parameters<PostRepository['saveMediaProgress']>[2]) {
    if (!(await this.posts.saveMediaProgress(postId, position, progress))) throw new PostGone();
  }

  /** Before each external call: stop here when the worker is stopping, else record where the job got to. */
  private async checkpoint(run: JobRun, phase: string): Promise<void> {
    run.signal.throwIfAborted();
    await run.savePhase(phase);
  }

  private async markNeedsReconnect(persona: Persona): Promise<void> {
    await this.tokens.markNeedsReconnect(persona.userId, persona.num);
  }

  private after(ms: number): Date {
    return new Date(this.clock.now().getTime() + ms);
  }
}

/** No token to read the container with: Meta refused it, or the persona's link or token is gone. */
function cannotCheck(error: unknown): boolean {
  return (error instanceof PublishFailure && error.kind === 'token_expired') || error instanceof PostFailed;
}

function isImageRefusal(error: PublishFailure): boolean {
  return error.metaCode !== null && IMAGE_REFUSALS.has(error.metaCode);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
