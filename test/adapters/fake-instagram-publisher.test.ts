import { expect } from 'chai';
import { FakeInstagramPublisher } from '../../adapters/mock-providers/fake-instagram-publisher.js';
import { FakeMetaGraph } from '../../adapters/mock-providers/fake-meta-graph.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { PublishFailure, type PublishingToken } from '../../core/publishing/index.js';
import { rejectionOf } from '../support/rejection.js';

const CALLBACK = 'http://localhost:8000/oauth/instagram/callback';
const IMAGE = { imageUrl: 'http://localhost:8000/media/a.jpg' };

describe('FakeInstagramPublisher (MOCK_PROVIDERS)', () => {
  let graph: FakeMetaGraph;
  let publisher: FakeInstagramPublisher;
  let clock: FixedClock;

  /** The demo user's way to a Page token: the dialog, both exchanges, /me/accounts. */
  async function pageToken(): Promise<{ token: string; igUserId: string }> {
    const code = new URL(graph.dialogUrl('s')).searchParams.get('code')!;
    const long = await graph.exchangeForLongLived((await graph.exchangeCode(code)).accessToken);
    const [account] = await graph.listAccounts(long.accessToken);
    return { token: account.pageAccessToken!, igUserId: account.igUserId };
  }
  const failure = (promise: Promise<unknown>) => rejectionOf(promise, PublishFailure);
  /** A Facebook Login link's Page token. */
  const fb = (value: string): PublishingToken => ({ value, login: 'facebook' });

  beforeEach(() => {
    graph = new FakeMetaGraph(CALLBACK, ['instagram_content_publish']);
    clock = new FixedClock(new Date('2026-11-29T00:00:00Z'));
    publisher = new FakeInstagramPublisher((token) => graph.igUserOfPageToken(token.value), clock);
  });

  it('runs the whole flow: container finishes, publish gives an id and a permalink, the quota counts it', async () => {
    const { token, igUserId } = await pageToken();
    const container = await publisher.createImageContainer(fb(token), igUserId, { ...IMAGE, caption: '안녕' });
    expect(await publisher.containerStatus(fb(token), container)).to.equal('IN_PROGRESS');
    expect(await publisher.containerStatus(fb(token), container)).to.equal('FINISHED');
    const mediaId = await publisher.publish(fb(token), igUserId, container);
    expect(mediaId).to.match(/^[0-9]+$/);
    expect(await publisher.permalink(fb(token), mediaId)).to.match(/^https:\/\/www\.instagram\.com\/p\/mock[0-9]+\/$/);
    expect(await publisher.containerStatus(fb(token), container)).to.equal('PUBLISHED');
    expect(await publisher.publishingQuota(fb(token), igUserId)).to.deep.equal({ used: 1, total: 100, windowSeconds: 86_400 });
    clock.advance(86_400_000);
    expect((await publisher.publishingQuota(fb(token), igUserId)).used, 'the window rolls').to.equal(0);
  });

  it('runs a story: its container publishes once, with a stories/ permalink, and counts in the quota', async () => {
    const { token, igUserId } = await pageToken();
    const container = await publisher.createImageContainer(fb(token), igUserId, { ...IMAGE, kind: 'story' });
    await publisher.containerStatus(fb(token), container);
    const mediaId = await publisher.publish(fb(token), igUserId, container);
    expect(await publisher.permalink(fb(token), mediaId)).to.equal(`https://www.instagram.com/stories/mock_${igUserId}/${mediaId}/`);
    expect((await publisher.publishingQuota(fb(token), igUserId)).used).to.equal(1);
  });

  it('runs a carousel, and refuses one of a single item', async () => {
    const { token, igUserId } = await pageToken();
    const items = [
      await publisher.createCarouselItem(fb(token), igUserId, IMAGE),
      await publisher.createCarouselItem(fb(token), igUserId, IMAGE),
    ];
    expect((await failure(publisher.createCarouselContainer(fb(token), igUserId, items.slice(0, 1), ''))).kind).to.equal('permanent');
    const carousel = await publisher.createCarouselContainer(fb(token), igUserId, items, '둘');
    await publisher.containerStatus(fb(token), carousel);
    expect(await publisher.publish(fb(token), igUserId, carousel)).to.match(/^[0-9]+$/);
  });

  it('publishes a container once, and only when it is finished', async () => {
    const { token, igUserId } = await pageToken();
    const container = await publisher.createImageContainer(fb(token), igUserId, IMAGE);
    expect(await failure(publisher.publish(fb(token), igUserId, container))).to.include({ kind: 'transient', metaCode: 9007 });
    await publisher.containerStatus(fb(token), container);
    await publisher.publish(fb(token), igUserId, container);
    expect((await failure(publisher.publish(fb(token), igUserId, container))).kind).to.equal('permanent');
  });

  it('answers code 190 to a token it did not hand out (as after a restart), and keeps accounts apart', async () => {
    expect(await failure(publisher.publishingQuota(fb('mock-page-unknown'), '17841400000000001'))).to.include({
      kind: 'token_expired',
      metaCode: 190,
    });
    const { token } = await pageToken();
    expect((await failure(publisher.createImageContainer(fb(token), '17841400000000002', IMAGE))).kind).to.equal('permanent');
  });

  it('checks an account: its username with a token it handed out, code 190 with any other', async () => {
    const { token, igUserId } = await pageToken();
    expect(await publisher.checkAccount(fb(token), igUserId)).to.equal(`mock_${igUserId}`);
    expect(await failure(publisher.checkAccount(fb('mock-page-unknown'), igUserId))).to.include({ kind: 'token_expired', metaCode: 190 });
  });
});
