import { message, type Message, type MessageKey } from '../../core/shared/index.js';
import { metaSaid, POST_ERRORS } from '../../core/publishing/index.js';

/**
 * Rows written before a post's error was kept by message key stored an English sentence (error_message).
 * They are read, not rewritten (SQLite's schema is updated at start, without data migrations): our own
 * sentences, exactly as they were written then, become their keys (so they read in the reader's language);
 * any other text was Meta's own words, passed on as stored. The sentences are frozen here on purpose: they
 * are what old rows hold, whatever the catalogues say today.
 */
const SENTENCES: Readonly<Record<string, MessageKey>> = {
  'The persona is no longer linked to an Instagram account.': 'post_persona_not_linked',
  'Link this persona to Instagram again.': 'persona_link_again',
  'Instagram no longer accepts this persona’s authorization: link it again.': 'post_persona_oauth_expired',
  'An image of this post could not be read.': 'post_media_unavailable',
  'An image of this post is no longer in the media library.': 'post_media_gone',
  'An image of this post could not be decoded.': 'post_media_undecodable',
  'Instagram refused an image of this post.': 'post_media_rejected',
  'Instagram could not process the images of this post.': 'post_container_failed',
  'The container expired before it was published.': 'post_container_expired',
  'Instagram refused the post.': 'post_publish_failed',
  'Publishing failed; try again later.': 'post_publish_failed_unexpectedly',
  'Instagram did not confirm whether the post went out: check the account before publishing it again.': 'post_publish_unverified',
};

/** What a row written before error_key says: its sentence's key, Meta's words as stored, or its code's own message. */
export function legacySaid(code: string, sentence: string | null): Message {
  if (sentence) return SENTENCES[sentence] ? message(SENTENCES[sentence]) : metaSaid(sentence);
  const key = POST_ERRORS[code as keyof typeof POST_ERRORS] as MessageKey | undefined;
  return message(key ?? 'post_publish_failed');
}
