import { errors, message } from '../shared/index.js';
import type { Transition } from './post-lifecycle.js';
import { publishJobKey, PUBLISH_POST_JOB, type Post, type PostStatus } from './post.js';
import type { Clock } from '../shared/index.js';
import type { InstagramTokenStore } from '../instagram/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { PersonaRepository } from '../personas/index.js';
import type { PostRepository } from './ports/post-repository.js';
import type { TransactionRunner } from '../shared/index.js';
import { usableToken } from '../instagram/index.js';

const BEING_PUBLISHED = message('post_being_published');

/** The caller's post: 404 post_not_found for another user's or none. */
export async function requireOwnedPost(posts: PostRepository, userId: number, postId: number): Promise<Post> {
  const post = await posts.findOwned(userId, postId);
  if (!post) throw errors.postNotFound();
  return post;
}

/**
 * A post's status and its publish job move together, in one transaction: the status by compare-and-set
 * (so a request never races the worker), the job queued, moved or cancelled beside it.
 */
export class PostQueue {
  constructor(
    private readonly posts: PostRepository,
    private readonly personas: PersonaRepository,
    private readonly tokens: InstagramTokenStore,
    private readonly jobs: JobQueue,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * The Instagram account the post goes out on: 409 persona_not_linked, 401 persona_oauth_expired when
   * the stored token has expired or Meta refused it (a linked persona without a token row may try).
   */
  async accountOf(post: Post): Promise<string> {
    const persona = await this.personas.findOwned(post.userId, { id: post.personaId });
    if (!persona) throw errors.postNotFound();
    if (!persona.instagram) throw errors.personaNotLinked();
    const token = await this.tokens.get(persona.userId, persona.num);
    if (token && !usableToken(token, this.clock.now())) throw errors.personaOauthExpired();
    return persona.instagram.igUserId;
  }

  /**
   * Applies the transition, and queues the post's job at `runAt` (now when omitted) in the lane of
   * `igUserId`; null when the post is no longer where the transition starts (nothing changed).
   */
  async queue(post: Post, { from, change }: Transition, igUserId: string, runAt?: Date): Promise<Post | null> {
    const now = this.clock.now();
    const at = runAt ?? now;
    return this.transactions.inTransaction(async () => {
      const moved = await this.posts.update(post.id, from, change, now);
      if (!moved) return null;
      const key = publishJobKey(post.id);
      const job = await this.jobs.enqueue(
        { kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: key, lane: `ig:${igUserId}`, runAt: at },
        now,
      );
      // A job a worker holds, or one that ended without freeing the post, is not ours to move: roll back.
      if (job.state !== 'queued') throw errors.postNotPublishable(BEING_PUBLISHED);
      if (job.runAt.getTime() !== at.getTime()) await this.jobs.reschedule(key, at, now);
      return moved;
    });
  }

  /** Applies the transition, cancelling the post's queued job; null when the post is no longer where it starts (nothing changed). */
  async withdraw(post: Post, { from, change }: Transition): Promise<Post | null> {
    const now = this.clock.now();
    return this.transactions.inTransaction(async () => {
      const moved = await this.posts.update(post.id, from, change, now);
      if (moved) await this.cancelJob(post.id, now);
      return moved;
    });
  }

  /**
   * Deletes the post when it is in one of `from`, refused while a worker holds its job; false when it is
   * not (nothing changed). The repository deletes the job row with the post.
   */
  async delete(post: Post, from: readonly PostStatus[]): Promise<boolean> {
    const now = this.clock.now();
    return this.transactions.inTransaction(async () => {
      // The job first, so a worker cannot claim it meanwhile. A refused delete rolls the cancel back.
      await this.cancelJob(post.id, now);
      return this.posts.delete(post.id, from);
    });
  }

  /** The post as it is now, after a compare-and-set found it in another status: 404 when it is gone. */
  async reread(post: Post): Promise<Post> {
    return requireOwnedPost(this.posts, post.userId, post.id);
  }

  private async cancelJob(postId: number, now: Date): Promise<void> {
    const key = publishJobKey(postId);
    if (await this.jobs.cancel(key, now)) return;
    // No queued job: none yet, or one that ended. A running one means a worker has the post: roll back.
    if ((await this.jobs.findByDedupeKey(key))?.state === 'running') {
      throw errors.postNotEditable(BEING_PUBLISHED);
    }
  }
}
