import { progress } from '../post-lifecycle.js';
import { postError } from '../post.js';
import { PublishFailure } from '../ports/instagram-publisher.js';
import { PostFailed, type PublishRun } from './context.js';
import type { PublishStep } from './phases.js';

/** A transient failure of our own: the container waited too long (24 h) for its media_publish. */
export class ContainerExpired extends PublishFailure {
  constructor() {
    super('transient', 'The container expired before it was published.');
  }
}

/**
 * A container that ended in ERROR or EXPIRED: the containers are forgotten so the next try makes new
 * ones. An expired one only waited too long (24 h): a transient failure; ERROR fails the post.
 */
export async function discardContainers(attempt: PublishRun, { expired }: Extract<PublishStep, { step: 'discard' }>): Promise<never> {
  await attempt.move(progress({ containerId: null }));
  for (const position of attempt.post.media.keys()) await attempt.saveProgress(position, { containerId: null });
  if (expired) throw new ContainerExpired();
  throw new PostFailed(postError('container_failed'));
}
