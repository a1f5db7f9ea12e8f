import type { JobLog, JobRun } from '../../jobs/index.js';
import type { PageTokens } from '../../instagram/index.js';
import type { Transition } from '../post-lifecycle.js';
import { describePostError, type Post, type PostError, type PostMedia } from '../post.js';
import type { Clock } from '../../shared/index.js';
import type { ImageProcessor } from '../../images/index.js';
import type { InstagramPublisher } from '../ports/instagram-publisher.js';
import type { InstagramTokenStore } from '../../instagram/index.js';
import type { MediaStore, PublicMediaUrls } from '../../images/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import type { PostRepository } from '../ports/post-repository.js';
import { phaseText, type Checkpoint } from './phases.js';

export interface PublishPostOptions {
  /** The wait between status reads of a container. */
  statusPollMs: number;
  /** Status reads per try; still IN_PROGRESS after them: the job comes back later (the try not counted). */
  statusPolls: number;
  /** How long a post waits when the publishing quota is used up. */
  quotaRecheckMs: number;
}

/** What the steps use. */
export interface PublishDependencies {
  posts: PostRepository;
  personas: PersonaRepository;
  pageTokens: PageTokens;
  tokens: InstagramTokenStore;
  publisher: InstagramPublisher;
  files: MediaStore;
  /** Where Meta fetches the prepared JPEGs from. */
  mediaUrls: PublicMediaUrls;
  images: ImageProcessor;
  clock: Clock;
  log: JobLog;
  options: PublishPostOptions;
}

/** The post cannot go out: it fails with this error, whatever try this is. */
export class PostFailed extends Error {
  constructor(readonly error: PostError) {
    super(describePostError(error));
  }
}

/** The post went away (its user or persona was deleted) while the job ran. */
export class PostGone extends Error {}

/** One run of the job: the post as it became `publishing`, and the writes every step makes the same way. */
export class PublishRun {
  constructor(
    readonly deps: PublishDependencies,
    readonly run: JobRun,
    readonly post: Post,
  ) {}

  /** Before each external call: stop here when the worker is stopping, else record where the job got to. */
  async checkpoint(checkpoint: Checkpoint): Promise<void> {
    this.run.signal.throwIfAborted();
    await this.run.savePhase(phaseText(checkpoint));
  }

  /** A transition of the post (post-lifecycle's); PostGone when it is no longer there to move. */
  async move({ from, change }: Transition): Promise<void> {
    if (!(await this.deps.posts.update(this.post.id, from, change, this.deps.clock.now()))) throw new PostGone();
  }

  /** What the worker made for image `position`; PostGone when the post is gone. */
  async saveProgress(position: number, progress: Partial<Pick<PostMedia, 'preparedUrl' | 'containerId'>>): Promise<void> {
    if (!(await this.deps.posts.saveMediaProgress(this.post.id, position, progress))) throw new PostGone();
  }

  after(ms: number): Date {
    return new Date(this.deps.clock.now().getTime() + ms);
  }
}
