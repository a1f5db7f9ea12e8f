import { progress } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import type { ImageContainerInput } from '../ports/instagram-publisher.js';
import type { PublishRun } from './context.js';
import type { PublishStep } from './phases.js';
import { preparedImage } from './prepare-image.js';

/**
 * The container media_publish takes: a story's (its one image, no caption), the single image's, or a carousel of
 * one item per image (each made once).
 */
export async function makeContainers(attempt: PublishRun, { account }: Extract<PublishStep, { step: 'containers' }>): Promise<PublishStep> {
  const { publisher } = attempt.deps;
  const { post } = attempt;
  const { token, igUserId } = account;
  let containerId: string;
  if (post.kind === 'story' || post.media.length === 1) {
    const imageUrl = await preparedImage(attempt, 0);
    await attempt.checkpoint({ at: 'container' });
    containerId = await publisher.createImageContainer(token, igUserId, singleImage(post, imageUrl));
  } else {
    const children: string[] = [];
    for (const [position, item] of post.media.entries()) {
      let child = item.containerId;
      if (child === null) {
        const imageUrl = await preparedImage(attempt, position);
        await attempt.checkpoint({ at: 'item', position });
        child = await publisher.createCarouselItem(token, igUserId, { imageUrl });
        await attempt.saveProgress(position, { containerId: child });
      }
      children.push(child);
    }
    await attempt.checkpoint({ at: 'carousel' });
    containerId = await publisher.createCarouselContainer(token, igUserId, children, post.caption);
  }
  await attempt.move(progress({ containerId }));
  return { step: 'status', account, containerId, unconfirmed: false };
}

/** The one image's container: a story's carries no caption or alt text (Meta takes neither on a story). */
function singleImage(post: Post, imageUrl: string): ImageContainerInput {
  if (post.kind === 'story') return { imageUrl, kind: 'story' };
  return { imageUrl, caption: post.caption, altText: post.altText ?? undefined };
}
