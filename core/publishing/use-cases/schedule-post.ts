import type { Clock } from '../../shared/index.js';
import { refusal, schedule } from '../post-lifecycle.js';
import type { Post } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';
import { scheduleInstant } from '../schedule-time.js';

export interface ScheduleRequest {
  userId: number;
  postId: number;
  /** `YYYY-MM-DDTHH:mm`, a wall-clock time in `timeZone`. */
  at: string;
  /** IANA; APP_TIMEZONE when the request names none. */
  timeZone?: string;
}

/**
 * Schedules a post (post-lifecycle's `schedule`) for a wall-clock time in a time zone: it becomes
 * `scheduled` at that UTC instant and its job is queued (or moved) there, in one transaction.
 */
export class SchedulePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
    private readonly clock: Clock,
    private readonly defaultTimeZone: string,
  ) {}

  async execute({ userId, postId, at, timeZone = this.defaultTimeZone }: ScheduleRequest): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    const scheduledAt = scheduleInstant(at, timeZone, this.clock.now());
    const transition = schedule(post, { scheduledAt, localAt: at, timeZone });
    const igUserId = await this.queue.accountOf(post);
    const scheduled = await this.queue.queue(post, transition, igUserId, scheduledAt);
    if (scheduled) return scheduled;
    await this.queue.reread(post); // 404 when it went meanwhile
    throw refusal('schedule');
  }
}
