import { expect } from 'chai';
import { DomainError } from '../../core/shared/index.js';
import * as lifecycle from '../../core/publishing/index.js';
import { POST_STATUSES, postError, type Post, type PostStatus } from '../../core/publishing/index.js';

const NOW = new Date('2027-01-10T00:00:00Z');

function postIn(status: PostStatus): Post {
  return {
    id: 1,
    userId: 7,
    personaId: 3,
    kind: 'feed',
    status,
    caption: 'c',
    altText: null,
    media: [{ mediaId: 5, url: '/media/a.png', preparedUrl: '/media/a.jpg', containerId: 'item' }],
    scheduledAt: null,
    localAt: null,
    timeZone: null,
    containerId: 'carousel',
    igMediaId: null,
    permalink: null,
    error: null,
    attempts: 0,
    publishKey: null,
    createdAt: NOW,
    updatedAt: NOW,
    publishedAt: null,
  };
}

/** What refusing a user's request answers: the contract's code and the message key it words it with. */
function refusalOf(run: () => unknown): { code: string; key: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).to.be.instanceOf(DomainError);
    const { code, said } = error as DomainError;
    return { code, key: said.key };
  }
}

const NOT_PUBLISHABLE = { code: 'post_not_publishable', key: 'post_not_publishable' };
const NOT_EDITABLE = { code: 'post_not_editable', key: 'post_not_editable' };
const WHEN = { scheduledAt: new Date('2027-02-01T00:00:00Z'), localAt: '2027-02-01T09:00', timeZone: 'Asia/Seoul' };

/**
 * The table as docs/publishing.md and API.md give it, written out here (not read from the module): per
 * request, the status it leads to from each status it may start from, and the refusal from every other.
 */
const REQUESTS = {
  publish: {
    run: (p: Post) => lifecycle.publish(p, 'key'),
    to: { draft: 'publishing', scheduled: 'publishing', failed: 'publishing' },
    refused: NOT_PUBLISHABLE,
  },
  schedule: {
    run: (p: Post) => lifecycle.schedule(p, WHEN),
    to: { draft: 'scheduled', scheduled: 'scheduled', failed: 'scheduled' },
    refused: NOT_PUBLISHABLE,
  },
  retry: {
    run: (p: Post) => lifecycle.retry(p),
    to: { failed: 'publishing' },
    refused: { code: 'post_not_publishable', key: 'retry_only_failed' },
  },
  unschedule: {
    run: (p: Post) => lifecycle.unschedule(p),
    to: { scheduled: 'draft', draft: 'unchanged', failed: 'unchanged' },
    refused: { code: 'post_not_editable', key: 'unschedule_too_late' },
  },
  edit: {
    run: (p: Post) => lifecycle.edit(p, { caption: 'new' }),
    to: { draft: 'draft', scheduled: 'scheduled', failed: 'failed' },
    refused: NOT_EDITABLE,
  },
  delete: {
    run: (p: Post) => ({ from: lifecycle.remove(p), change: {} }),
    to: { draft: 'gone', scheduled: 'gone', failed: 'gone' },
    refused: NOT_EDITABLE,
  },
} as const;

describe('post lifecycle: the transition table', () => {
  for (const [action, { run, to, refused }] of Object.entries(REQUESTS)) {
    for (const status of POST_STATUSES) {
      const next = (to as Partial<Record<PostStatus, string>>)[status];
      if (next === undefined) {
        it(`${action} from ${status}: refused, ${refused.code} (${refused.key})`, () => {
          expect(refusalOf(() => run(postIn(status)))).to.deep.equal(refused);
          if (action !== 'unschedule') expect(lifecycle.allows(action as lifecycle.PostAction, status)).to.equal(false);
        });
        continue;
      }
      it(`${action} from ${status}: ${next}`, () => {
        const transition: lifecycle.Transition | null = run(postIn(status));
        if (next === 'unchanged') return expect(transition).to.equal(null);
        expect(transition!.from, 'the compare-and-set names the status it was read in').to.include(status);
        expect(transition!.change.status ?? (next === 'gone' ? 'gone' : status)).to.equal(next);
        const declared: string = lifecycle.TRANSITIONS[action as keyof typeof REQUESTS].to;
        expect(declared === 'same' ? status : declared, 'the table declares where it leads').to.equal(next);
      });
    }
  }

  it('publish, retry and schedule forget what Meta made (containers) and the error; publish keeps its Idempotency-Key', () => {
    const failed = { ...postIn('failed'), error: postError('publish_failed') };
    for (const { change } of [lifecycle.publish(failed, 'key'), lifecycle.retry(failed), lifecycle.schedule(failed, WHEN)]) {
      expect(change).to.include({ containerId: null, error: null });
      expect(change.media).to.deep.equal([{ mediaId: 5, url: '/media/a.png' }]);
    }
    expect(lifecycle.publish(failed, 'key').change).to.include({ publishKey: 'key', scheduledAt: null, localAt: null, timeZone: null });
    expect(lifecycle.schedule(failed, WHEN).change).to.include(WHEN);
  });

  it('an edit keeps the status, changes only what was given, and forgets the containers', () => {
    const { change } = lifecycle.edit(postIn('scheduled'), { caption: 'new' });
    expect(change).to.not.have.property('status');
    expect(change).to.include({ caption: 'new', containerId: null });
    expect(change).to.not.have.property('altText');
  });

  it('the worker claims a scheduled or publishing post, counting the try; nothing else', () => {
    for (const status of POST_STATUSES) {
      expect(lifecycle.claim(2).from.includes(status), status).to.equal(status === 'scheduled' || status === 'publishing');
    }
    expect(lifecycle.claim(2).change).to.deep.equal({ status: 'publishing', attempts: 2 });
  });

  it('only a publishing post completes or fails: published; failed, or needs_attention when unverified', () => {
    for (const status of POST_STATUSES) {
      const publishing = status === 'publishing';
      expect(lifecycle.complete('m', NOW).from.includes(status), `complete from ${status}`).to.equal(publishing);
      expect(lifecycle.fail(postError('publish_failed')).from.includes(status), `fail from ${status}`).to.equal(publishing);
    }
    expect(lifecycle.complete('m', NOW).change).to.deep.equal({ status: 'published', igMediaId: 'm', publishedAt: NOW, error: null });
    expect(lifecycle.fail(postError('media_rejected')).change.status).to.equal('failed');
    expect(lifecycle.fail(postError('publish_unverified')).change.status).to.equal('needs_attention');
    expect(POST_STATUSES.filter(lifecycle.endedUnpublished)).to.deep.equal(['failed', 'needs_attention']);
  });

  it('the worker records progress only while it holds the post, and the permalink only once it is published', () => {
    expect(lifecycle.progress({ containerId: 'c' }).from).to.deep.equal(['publishing']);
    expect(lifecycle.addPermalink('https://p').from).to.deep.equal(['published']);
  });
});
