import { message } from '../../shared/index.js';
import { postError } from '../post.js';
import { PostFailed, type PublishRun } from './context.js';

/**
 * The URL Meta fetches image `position` from, as a JPEG Instagram takes (a story's: 9:16, 1080×1920): the
 * file is made (and recorded) the first time; its URL is asked for on each try, since a presigned one expires.
 */
export async function preparedImage(attempt: PublishRun, position: number): Promise<string> {
  const { files, images, mediaUrls } = attempt.deps;
  const item = attempt.post.media[position];
  let preparedUrl = item.preparedUrl;
  if (preparedUrl === null) {
    const bytes = await files.read(item.url);
    if (!bytes) throw new PostFailed(postError('media_unavailable', message('post_media_gone')));
    const jpeg = await images.prepareForInstagram(bytes, attempt.post.kind).catch(() => {
      throw new PostFailed(postError('media_unavailable', message('post_media_undecodable')));
    });
    preparedUrl = await files.save(jpeg, 'jpg');
    await attempt.saveProgress(position, { preparedUrl });
  }
  return mediaUrls.fetchUrl(preparedUrl);
}
