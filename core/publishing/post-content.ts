import { errors, message } from '../shared/index.js';
import type { NewPost, PostKind } from './post.js';
import type { MediaLibrary } from '../images/index.js';

/** Instagram's limits on what a post carries; lengths are counted in code points (a Korean syllable or an emoji is one). */
export const POST_LIMITS = {
  captionChars: 2200,
  hashtags: 30,
  mentions: 20,
  altTextChars: 1000,
  minMedia: 1,
  maxMedia: 10,
} as const;

/** `#` and then letters, digits or `_` of any script, not glued to a word before it (`a#b` is no hashtag). */
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_])#[\p{L}\p{M}\p{N}_]+/gu;
/** `@` and then an Instagram username's characters, not glued to a word before it (`me@example.com` is no mention). */
const MENTION = /(?<![\p{L}\p{M}\p{N}_])@[A-Za-z0-9._]+/gu;

/** Characters as a person counts them: code points, not UTF-16 units. */
export function codePoints(text: string): number {
  return [...text].length;
}

/** Every hashtag and mention counts, repeats included. */
export function checkCaption(caption: string): void {
  if (codePoints(caption) > POST_LIMITS.captionChars) throw errors.captionTooLong();
  if ((caption.match(HASHTAG)?.length ?? 0) > POST_LIMITS.hashtags) throw errors.tooManyHashtags();
  if ((caption.match(MENTION)?.length ?? 0) > POST_LIMITS.mentions) throw errors.tooManyMentions();
}

export function checkAltText(altText: string | null): void {
  if (altText !== null && codePoints(altText) > POST_LIMITS.altTextChars) {
    throw errors.validationFailed(undefined, [
      {
        field: ['alt_text'],
        message: message('alt_text_too_long', { max: POST_LIMITS.altTextChars }),
      },
    ]);
  }
}

/**
 * A story is exactly one image and no caption (an empty one is none): 422 story_invalid otherwise. A feed
 * post has no rule here beyond the others. `content` is the whole post as it would be (after an edit too).
 */
export function checkKindRules(kind: PostKind, content: { caption: string; mediaCount: number }): void {
  if (kind !== 'story') return;
  if (content.mediaCount !== 1) throw errors.storyInvalid(message('story_one_image'));
  if (content.caption !== '') throw errors.storyInvalid(message('story_no_caption'));
}

/** 1–10 media ids, each at most once (one image twice in a carousel is refused). */
export function checkMediaIds(ids: number[]): void {
  const problem =
    ids.length < POST_LIMITS.minMedia || ids.length > POST_LIMITS.maxMedia
      ? message('media_count', { min: POST_LIMITS.minMedia, max: POST_LIMITS.maxMedia })
      : new Set(ids).size !== ids.length
        ? message('media_named_twice')
        : null;
  if (problem) throw errors.validationFailed(undefined, [{ field: ['media'], message: problem }]);
}

/** The user's media rows for `ids`, in that order: 422 media_not_found when one is not theirs (or no row). */
export async function ownedMedia(library: MediaLibrary, userId: number, ids: number[]): Promise<NewPost['media']> {
  checkMediaIds(ids);
  const rows = new Map((await library.findOwned(userId, ids)).map((media) => [media.id, media]));
  return ids.map((id) => {
    const media = rows.get(id);
    if (!media) throw errors.mediaNotFound();
    return { mediaId: id, url: media.url };
  });
}
