import type { Persona } from '../../personas/index.js';
import type { Post } from '../post.js';
import type { PublishingToken } from '../ports/instagram-publisher.js';

/** The persona's Instagram account and the token it publishes with, once read. */
export interface Account {
  persona: Persona;
  token: PublishingToken;
  igUserId: string;
}

/**
 * Where a run of the publish job is, and what it knows so far. `unconfirmed`: media_publish may have gone
 * through and nothing has told yet whether (a run that entered in phase `publish`, after an unknown
 * outcome): a failure then must not fail the post, which may be live; only the container can tell.
 */
export type PublishStep =
  /** Read the persona's link and Page token. */
  | { step: 'account'; unconfirmed: boolean }
  /** Prepare each image and make the containers (one, or a carousel of one item per image). */
  | { step: 'containers'; account: Account }
  /** Wait until Meta processed the container, or, unconfirmed, read whether it is already live. */
  | { step: 'status'; account: Account; containerId: string; unconfirmed: boolean }
  /** The container ended in ERROR or EXPIRED: forget the containers, so the next try makes new ones. */
  | { step: 'discard'; expired: boolean }
  /** Respect the account's publishing quota. */
  | { step: 'quota'; account: Account; containerId: string }
  /** media_publish, called once. */
  | { step: 'publish'; account: Account; containerId: string }
  /** Live: record it (`mediaId` null when only the container told), then its permalink. */
  | { step: 'published'; account: Account; mediaId: string | null; unconfirmed: boolean };

/**
 * The phase the job records before each external call (ss_job.phase), so a run that takes the job over
 * knows where the last one got to. Stored as text: `container`, `item:<position>`, `carousel`, `status`,
 * `quota`, `publish`, `permalink`.
 */
export type Checkpoint = { at: 'container' | 'carousel' | 'status' | 'quota' | 'publish' | 'permalink' } | { at: 'item'; position: number };

export function phaseText(checkpoint: Checkpoint): string {
  return checkpoint.at === 'item' ? `item:${checkpoint.position}` : checkpoint.at;
}

/** The first step of a run: unconfirmed when the last run stopped at media_publish with a container made. */
export function firstStep(savedPhase: string | null, post: Post): PublishStep {
  return { step: 'account', unconfirmed: savedPhase === phaseText({ at: 'publish' }) && post.containerId !== null };
}
