import { errors, message, type DomainError } from '../shared/index.js';
import { remade, type Post, type PostChange, type PostError, type PostStatus } from './post.js';

/**
 * The owner of a post's lifecycle: which status may move to which, and what each move changes. Every use
 * case and the worker ask it; the repository applies the answer as a compare-and-set on the status
 * (PostRepository.update / delete), so a move decided on a stale read changes nothing.
 */

/** A user's request, or a step of the worker. */
export type PostAction = 'publish' | 'schedule' | 'unschedule' | 'edit' | 'delete' | 'retry' | 'claim' | 'complete' | 'fail';

/** `same`: the post keeps its status; `gone`: it is deleted. */
type Destination = PostStatus | readonly PostStatus[] | 'same' | 'gone';

interface Rule {
  /** The statuses the action may start from. */
  from: readonly PostStatus[];
  to: Destination;
  /** The statuses in which the action has nothing to do and answers the post as it is. */
  done?: readonly PostStatus[];
}

/** Not sent, or sent and refused: what the user may still change. */
const OPEN = ['draft', 'scheduled', 'failed'] as const;

/** The transition table (docs/publishing.md's statuses). */
export const TRANSITIONS = {
  publish: { from: OPEN, to: 'publishing' },
  schedule: { from: OPEN, to: 'scheduled' },
  unschedule: { from: ['scheduled'], to: 'draft', done: ['draft', 'failed'] },
  edit: { from: OPEN, to: 'same' },
  delete: { from: OPEN, to: 'gone' },
  retry: { from: ['failed'], to: 'publishing' },
  /** The worker takes a due post; `publishing` too: a job taken over, or queued to go out now. */
  claim: { from: ['scheduled', 'publishing'], to: 'publishing' },
  complete: { from: ['publishing'], to: 'published' },
  fail: { from: ['publishing'], to: ['failed', 'needs_attention'] },
} as const satisfies Record<PostAction, Rule>;

/** A move the repository applies: `change` when the post's status is one of `from` (compare-and-set). */
export interface Transition {
  from: readonly PostStatus[];
  change: PostChange;
}

/** The worker's writes while it holds a post, and after it went out (the permalink): the status stays. */
const WHILE_PUBLISHING: readonly PostStatus[] = ['publishing'];
const WHILE_PUBLISHED: readonly PostStatus[] = ['published'];

/** Whether `action` may start from `status`. */
export function allows(action: PostAction, status: PostStatus): boolean {
  return (TRANSITIONS[action].from as readonly PostStatus[]).includes(status);
}

/** The request's refusal (409), as the contract words it; the worker's steps are never refused to a user. */
export function refusal(action: Exclude<PostAction, 'claim' | 'complete' | 'fail'>): DomainError {
  switch (action) {
    case 'publish':
    case 'schedule':
      return errors.postNotPublishable();
    case 'retry':
      return errors.postNotPublishable(message('retry_only_failed'));
    case 'unschedule':
      return errors.postNotEditable(message('unschedule_too_late'));
    case 'edit':
    case 'delete':
      return errors.postNotEditable();
  }
}

/** The statuses `action` starts from; its refusal when the post is in none of them. */
export function ensure(action: Parameters<typeof refusal>[0], post: Post): readonly PostStatus[] {
  if (!allows(action, post.status)) throw refusal(action);
  return TRANSITIONS[action].from;
}

/** Out now: publishing, no error, no longer scheduled, and what Meta made before forgotten. */
const OUT_NOW = { status: 'publishing', error: null, scheduledAt: null, localAt: null, timeZone: null } as const;

/** Sends the post out now; `publishKey` is the request's Idempotency-Key. */
export function publish(post: Post, publishKey: string | null): Transition {
  return { from: ensure('publish', post), change: { ...remade(post), ...OUT_NOW, publishKey } };
}

/** Schedules the post for `scheduledAt` (the instant of `localAt` in `timeZone`). */
export function schedule(post: Post, when: { scheduledAt: Date; localAt: string; timeZone: string }): Transition {
  return { from: ensure('schedule', post), change: { ...remade(post), status: 'scheduled', error: null, ...when } };
}

/** Back to draft; null when the post is not scheduled and there is nothing to do (a draft or failed post). */
export function unschedule(post: Post): Transition | null {
  if ((TRANSITIONS.unschedule.done as readonly PostStatus[]).includes(post.status)) return null;
  return { from: ensure('unschedule', post), change: { status: 'draft', scheduledAt: null, localAt: null, timeZone: null } };
}

/** New content (caption, alt text, images): the status and any queued job stay, Meta's containers are forgotten. */
export function edit(post: Post, content: Pick<PostChange, 'caption' | 'altText' | 'media'>): Transition {
  return { from: ensure('edit', post), change: { ...remade(post), ...content } };
}

/** The statuses a post may be deleted in (PostRepository.delete's compare-and-set). */
export function remove(post: Post): readonly PostStatus[] {
  return ensure('delete', post);
}

/** A failed post, out again now. */
export function retry(post: Post): Transition {
  return { from: ensure('retry', post), change: { ...remade(post), ...OUT_NOW } };
}

/** The worker takes the post, counting this try. */
export function claim(attempts: number): Transition {
  return { from: TRANSITIONS.claim.from, change: { status: 'publishing', attempts } };
}

/** What the worker made (containers), recorded while it holds the post. */
export function progress(change: Pick<PostChange, 'containerId'>): Transition {
  return { from: WHILE_PUBLISHING, change };
}

/** Live on Instagram; `igMediaId` null when only the container told (it does not name the media). */
export function complete(igMediaId: string | null, now: Date): Transition {
  return { from: TRANSITIONS.complete.from, change: { status: 'published', igMediaId, publishedAt: now, error: null } };
}

/** The permalink of a published post, read after it went out. */
export function addPermalink(permalink: string): Transition {
  return { from: WHILE_PUBLISHED, change: { permalink } };
}

/**
 * The post ends with `error`: `needs_attention` when it may be live and nothing could confirm it
 * (`publish_unverified`), `failed` otherwise.
 */
export function fail(error: PostError): Transition {
  const status = error.code === 'publish_unverified' ? 'needs_attention' : 'failed';
  return { from: TRANSITIONS.fail.from, change: { status, error } };
}

/** The statuses a publish ends in without going out: its job ends the same way. */
export function endedUnpublished(status: PostStatus): status is 'failed' | 'needs_attention' {
  return (TRANSITIONS.fail.to as readonly PostStatus[]).includes(status);
}
