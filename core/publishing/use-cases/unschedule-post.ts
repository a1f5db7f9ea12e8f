import { errors, message } from '../../shared/index.js';
import type { Post } from '../post.js';
import { requireOwnedPost, type PostQueue } from '../post-queue.js';
import type { PostRepository } from '../ports/post-repository.js';

const SCHEDULED = ['scheduled'] as const;
/** Unscheduling these changes nothing: they are not scheduled. */
const NOT_SCHEDULED = ['draft', 'failed'];

/** A scheduled post goes back to draft, its job cancelled with it; a draft or failed post is answered as it is. */
export class UnschedulePost {
  constructor(
    private readonly posts: PostRepository,
    private readonly queue: PostQueue,
  ) {}

  async execute(userId: number, postId: number): Promise<Post> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    const draft = await this.queue.withdraw(post, SCHEDULED, { status: 'draft', scheduledAt: null, localAt: null, timeZone: null });
    if (draft) return draft;
    const now = await this.queue.reread(post);
    if (NOT_SCHEDULED.includes(now.status)) return now;
    throw errors.postNotEditable(message('unschedule_too_late'));
  }
}
