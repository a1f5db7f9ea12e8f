import { message } from '../../shared/index.js';
import { postError } from '../post.js';
import { PostFailed, type PublishRun } from './context.js';

/** The public URL of image `position` as a JPEG Instagram takes, made (and recorded) the first time. */
export async function preparedImage(attempt: PublishRun, position: number): Promise<string> {
  const { files, images, options } = attempt.deps;
  const item = attempt.post.media[position];
  let preparedUrl = item.preparedUrl;
  if (preparedUrl === null) {
    const bytes = await files.read(item.url);
    if (!bytes) throw new PostFailed(postError('media_unavailable', message('post_media_gone')));
    const jpeg = await images.prepareForInstagram(bytes).catch(() => {
      throw new PostFailed(postError('media_unavailable', message('post_media_undecodable')));
    });
    preparedUrl = await files.save(jpeg, 'jpg');
    await attempt.saveProgress(position, { preparedUrl });
  }
  return `${options.publicMediaBaseUrl}${preparedUrl}`;
}
