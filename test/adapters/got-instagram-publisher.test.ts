import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { GotInstagramPublisher } from '../../adapters/meta/got-instagram-publisher.js';
import { PublishFailure, type ContainerStatus, type PublishingToken } from '../../core/publishing/index.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { transientGraphError } from '../support/fake-meta-publishing.js';
import { startFakeInstagram, type FakeInstagram } from '../support/fake-instagram-server.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { rejectionOf } from '../support/rejection.js';

const APP_SECRET = 'meta-secret-never-logged';
/** The fake's first page and its Instagram account. */
const PAGE_ID = '104000000000001';
const IG_USER_ID = '17841400000000101';

const failure = (promise: Promise<unknown>) => rejectionOf(promise, PublishFailure);
/** A Facebook Login link's Page token. */
const fb = (value: string): PublishingToken => ({ value, login: 'facebook' });

describe('GotInstagramPublisher (against the fake Meta on 127.0.0.1, which downloads the images)', () => {
  let meta: FakeMeta;
  let images: ImageServer;
  let logs: CapturedLogs;
  let token: string;

  /** A publisher on the fake Meta's Graph (and, for Instagram Login links, on `instagramGraphBaseUrl`: nowhere by default). */
  const publisher = (timeoutMs?: number, graphBaseUrl = `${meta.url}/v25.0`, instagramGraphBaseUrl = 'http://127.0.0.1:1/v25.0') =>
    new GotInstagramPublisher({ appSecret: APP_SECRET, graphBaseUrl, instagramGraphBaseUrl }, logs.logger, timeoutMs);
  const image = (path = '/square.jpg') => ({ imageUrl: `${images.url}${path}` });

  /** Reads the status until it is no longer IN_PROGRESS, as the worker's poll does. */
  async function settle(ig: GotInstagramPublisher, containerId: string): Promise<{ status: ContainerStatus; reads: number }> {
    for (let reads = 1; reads <= 10; reads++) {
      const status = await ig.containerStatus(fb(token), containerId);
      if (status !== 'IN_PROGRESS') return { status, reads };
    }
    throw new Error('never finished');
  }

  before(async () => {
    images = await startImageServer();
  });
  after(() => images.close());
  beforeEach(async () => {
    meta = await startFakeMeta({ appId: 'meta-app', appSecret: APP_SECRET });
    logs = captureLogs();
    token = meta.issuePageToken(PAGE_ID);
  });
  afterEach(() => meta.close());

  it('posts one image: container, status polled until FINISHED, media_publish, permalink; appsecret_proof on every call', async () => {
    const ig = publisher();
    const caption = '오늘의 셀카 ✨ #selfstar';
    const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, { ...image(), caption, altText: '웃는 얼굴' });
    const [create] = meta.requests.filter((r) => r.method === 'POST');
    expect(create.path).to.equal(`/v25.0/${IG_USER_ID}/media`);
    expect(create.form).to.deep.equal({ image_url: `${images.url}/square.jpg`, caption, alt_text: '웃는 얼굴' });

    expect(await settle(ig, containerId)).to.deep.equal({ status: 'FINISHED', reads: 2 });
    const mediaId = await ig.publish(fb(token), IG_USER_ID, containerId);
    expect(meta.publishCalls().map((r) => r.form)).to.deep.equal([{ creation_id: containerId }]);
    expect(meta.publishing.published).to.have.length(1).and.to.have.nested.property('[0].id', mediaId);
    expect(await ig.permalink(fb(token), mediaId))
      .to.equal(meta.publishing.published[0].permalink)
      .and.match(/^https:\/\/www\.instagram\.com\/p\//);
    expect(await ig.containerStatus(fb(token), containerId)).to.equal('PUBLISHED');

    const proof = createHmac('sha256', APP_SECRET).update(token).digest('hex');
    expect(meta.requests.map((r) => r.query.appsecret_proof)).to.deep.equal(Array(meta.requests.length).fill(proof));
    expect(logs.text()).not.to.include(token);
  });

  it('posts a story: one container of media_type=STORIES and image_url only (a caption or alt text given is not sent), then media_publish', async () => {
    const ig = publisher();
    const input = { ...image('/story.jpg'), caption: 'never sent', altText: 'never sent', kind: 'story' as const };
    const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, input);
    const [create] = meta.requests.filter((r) => r.method === 'POST');
    expect(create.path).to.equal(`/v25.0/${IG_USER_ID}/media`);
    expect(create.form).to.deep.equal({ media_type: 'STORIES', image_url: `${images.url}/story.jpg` });
    expect(meta.publishing.containers.get(containerId)).to.include({ story: true });
    expect((await settle(ig, containerId)).status).to.equal('FINISHED');
    const mediaId = await ig.publish(fb(token), IG_USER_ID, containerId);
    expect(meta.publishing.published).to.have.length(1).and.to.have.nested.property('[0].story', true);
    expect(await ig.permalink(fb(token), mediaId)).to.match(/^https:\/\/www\.instagram\.com\/stories\//);
    const square = await failure(ig.createImageContainer(fb(token), IG_USER_ID, { ...image('/square.jpg'), kind: 'story' }));
    expect(square, 'the fake refuses a story that is not 9:16').to.include({ kind: 'rejected_media', metaCode: 36003 });
  });

  it('posts a carousel: items with is_carousel_item and no caption, then media_type=CAROUSEL with the children', async () => {
    const ig = publisher();
    const items = [];
    for (const path of ['/square.jpg', '/portrait.jpg', '/landscape.jpg'])
      items.push(await ig.createCarouselItem(fb(token), IG_USER_ID, image(path)));
    const containerId = await ig.createCarouselContainer(fb(token), IG_USER_ID, items, '세 장');
    const forms = meta.requests.filter((r) => r.method === 'POST').map((r) => r.form);
    expect(forms.slice(0, 3).map((f) => f?.is_carousel_item)).to.deep.equal(['true', 'true', 'true']);
    expect(forms.slice(0, 3).some((f) => f && 'caption' in f)).to.equal(false);
    expect(forms[3]).to.deep.equal({ media_type: 'CAROUSEL', children: items.join(','), caption: '세 장' });
    expect((await settle(ig, containerId)).status).to.equal('FINISHED');
    await ig.publish(fb(token), IG_USER_ID, containerId);
    expect(meta.publishing.published.map((m) => m.containerId)).to.deep.equal([containerId]);
  });

  it('refuses a carousel of fewer than 2 or more than 10 children before calling Meta', async () => {
    const ig = publisher();
    const before = meta.requests.length;
    expect((await failure(ig.createCarouselContainer(fb(token), IG_USER_ID, ['1'], ''))).kind).to.equal('permanent');
    expect((await failure(ig.createCarouselContainer(fb(token), IG_USER_ID, Array(11).fill('1'), ''))).kind).to.equal('permanent');
    expect(meta.requests.length).to.equal(before);
  });

  it('reads the publishing quota, which counts what was published', async () => {
    const ig = publisher();
    expect(await ig.publishingQuota(fb(token), IG_USER_ID)).to.deep.equal({ used: 0, total: 100, windowSeconds: 86_400 });
    const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
    await settle(ig, containerId);
    await ig.publish(fb(token), IG_USER_ID, containerId);
    expect((await ig.publishingQuota(fb(token), IG_USER_ID)).used).to.equal(1);
    const request = meta.requests.find((r) => r.path.endsWith('/content_publishing_limit'))!;
    expect(request.query.fields).to.equal('quota_usage,config');
  });

  it("checks an account with the Page token: GET /{ig_user_id}?fields=username answers the account's username", async () => {
    expect(await publisher().checkAccount(fb(token), IG_USER_ID)).to.equal('selfstar.studio');
    const [request] = meta.requests;
    expect(request).to.deep.include({ method: 'GET', path: `/v25.0/${IG_USER_ID}` });
    expect(request.query).to.include({ fields: 'username', appsecret_proof: createHmac('sha256', APP_SECRET).update(token).digest('hex') });
    meta.expireTokens();
    expect(await failure(publisher().checkAccount(fb(token), IG_USER_ID))).to.include({ kind: 'token_expired', metaCode: 190 });
    meta.publishing.failures.account = [transientGraphError(503)];
    expect((await failure(publisher().checkAccount(fb(meta.issuePageToken(PAGE_ID)), IG_USER_ID))).kind).to.equal('transient');
    expect((await failure(publisher().checkAccount(fb(token), '../me'))).kind, 'not a Graph id').to.equal('permanent');
  });

  describe('failures, by the kind the worker acts on', () => {
    it('transient: a 5xx, an is_transient error, a throttling code (4), Meta not answering', async () => {
      const ig = publisher(300);
      meta.publishing.failures.container = [
        transientGraphError(503),
        { status: 400, body: { error: { message: 'Temporary', code: 1234, is_transient: true } } },
        { status: 400, body: { error: { message: '(#4) Application request limit reached', code: 4 } } },
      ];
      for (let i = 0; i < 3; i++)
        expect((await failure(ig.createImageContainer(fb(token), IG_USER_ID, image()))).kind).to.equal('transient');
      meta.publishing.failures.status = [transientGraphError(500)];
      expect((await failure(ig.containerStatus(fb(token), '17900000000000001'))).kind).to.equal('transient');
      const down = await failure(publisher(300, 'http://127.0.0.1:1/v25.0').publishingQuota(fb(token), IG_USER_ID));
      expect(down).to.include({ kind: 'transient', message: 'Meta did not answer.' });
    });

    it('token_expired: code 190', async () => {
      meta.expireTokens();
      const expired = await failure(publisher().createImageContainer(fb(token), IG_USER_ID, image()));
      expect(expired).to.include({ kind: 'token_expired', metaCode: 190, metaSubcode: 463 });
    });

    it('permanent: a missing permission, with Meta’s readable message and codes', async () => {
      const withoutPublish = meta.issuePageToken(PAGE_ID, ['pages_show_list', 'instagram_basic']);
      const refused = await failure(publisher().createImageContainer(fb(withoutPublish), IG_USER_ID, image()));
      expect(refused).to.include({ kind: 'permanent', metaCode: 10, message: 'Application does not have permission for this action' });
    });

    it('unknown_outcome: media_publish timed out although the post went live; the container then reads PUBLISHED', async () => {
      const ig = publisher(300);
      const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
      await settle(ig, containerId);
      meta.publishing.loseNextPublishAnswer = 'hang';
      expect(await failure(ig.publish(fb(token), IG_USER_ID, containerId))).to.include({ kind: 'unknown_outcome' });
      expect(meta.publishing.published, 'live all the same').to.have.length(1);
      expect(await ig.containerStatus(fb(token), containerId)).to.equal('PUBLISHED');
      expect(meta.publishCalls()).to.have.length(1);
    });

    it('unknown_outcome: media_publish with its connection reset, or answered 5xx', async () => {
      const ig = publisher();
      for (const lose of ['reset', '5xx'] as const) {
        const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
        await settle(ig, containerId);
        if (lose === 'reset') meta.publishing.loseNextPublishAnswer = 'reset';
        else meta.publishing.failures.publish = [transientGraphError(502)];
        expect((await failure(ig.publish(fb(token), IG_USER_ID, containerId))).kind, lose).to.equal('unknown_outcome');
      }
    });

    it('a second media_publish of a published container is refused, not a second post', async () => {
      const ig = publisher();
      const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
      await settle(ig, containerId);
      await ig.publish(fb(token), IG_USER_ID, containerId);
      expect((await failure(ig.publish(fb(token), IG_USER_ID, containerId))).kind).to.equal('permanent');
      expect(meta.publishing.published).to.have.length(1);
    });

    it('reports a container Meta could not process (ERROR) or that expired', async () => {
      const ig = publisher();
      for (const ends of ['ERROR', 'EXPIRED'] as const) {
        meta.publishing.nextContainerEnds = ends;
        const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
        expect((await settle(ig, containerId)).status).to.equal(ends);
      }
    });

    it('a 2xx without what Meta documents: transient, except for media_publish, whose outcome is then unknown', async () => {
      const ig = publisher();
      meta.publishing.failures.container = [{ status: 200, body: { id: 'not-a-graph-id' } }];
      expect((await failure(ig.createImageContainer(fb(token), IG_USER_ID, image()))).kind).to.equal('transient');
      meta.publishing.failures.status = [{ status: 200, body: { status_code: 'SOMETHING_NEW' } }];
      expect((await failure(ig.containerStatus(fb(token), '17900000000000001'))).kind).to.equal('transient');
      meta.publishing.failures.permalink = [{ status: 200, body: { permalink: 'javascript:alert(1)' } }];
      expect((await failure(ig.permalink(fb(token), '17900000000000001'))).kind).to.equal('transient');
      meta.publishing.failures.publish = [{ status: 200, body: '{"id":' }];
      expect((await failure(ig.publish(fb(token), IG_USER_ID, '17900000000000001'))).kind).to.equal('unknown_outcome');
    });

    it('refuses ids that are not Graph ids before they become part of a URL', async () => {
      const before = meta.requests.length;
      expect((await failure(publisher().containerStatus(fb(token), '../me/accounts'))).kind).to.equal('permanent');
      expect((await failure(publisher().publish(fb(token), IG_USER_ID, '1?x=y'))).kind).to.equal('permanent');
      expect(meta.requests.length).to.equal(before);
    });

    it('a container not finished yet is code 9007: transient', async () => {
      const ig = publisher();
      const containerId = await ig.createImageContainer(fb(token), IG_USER_ID, image());
      expect(await failure(ig.publish(fb(token), IG_USER_ID, containerId))).to.include({ kind: 'transient', metaCode: 9007 });
    });
  });

  describe('what Instagram refuses of the image it downloads: rejected_media, with Meta’s codes; a failed download is transient', () => {
    const refusals: [string, string, number, number, RegExp][] = [
      ['an image taller than 4:5', '/tall.jpg', 36003, 2207009, /aspect ratio \('500\/1000'\)/],
      ['a PNG', '/photo.png', 36001, 2207083, /Only JPEG/],
      [
        'over 8 MiB (Meta’s user message)',
        '/huge.jpg',
        36000,
        2207004,
        /^The image is too large to download\. It should be less than 8 MiB\.$/,
      ],
    ];
    for (const [what, path, code, subcode, message] of refusals) {
      it(what, async () => {
        const refused = await failure(publisher().createImageContainer(fb(token), IG_USER_ID, image(path)));
        expect(refused).to.include({ kind: 'rejected_media', metaCode: code, metaSubcode: subcode });
        expect(refused.message).to.match(message);
        expect(meta.publishing.containers.size).to.equal(0);
      });
    }

    // 9004/2207052: Meta could not download the image, usually our media host briefly out of reach (docs/API.md).
    it('a URL that answers 404 is a failed download: transient, retried', async () => {
      const failed = await failure(publisher().createImageContainer(fb(token), IG_USER_ID, image('/missing.jpg')));
      expect(failed).to.include({ kind: 'transient', metaCode: 9004, metaSubcode: 2207052 });
      expect(failed.message).to.match(/Media download has failed/);
      expect(meta.publishing.containers.size).to.equal(0);
    });

    it('an unreachable host is a failed download: transient, retried', async () => {
      const failed = await failure(publisher().createImageContainer(fb(token), IG_USER_ID, { imageUrl: 'http://127.0.0.1:1/x.jpg' }));
      expect(failed).to.include({ kind: 'transient', metaCode: 9004, metaSubcode: 2207052 });
    });

    it('accepts 4:5 and 1.91:1, the ends of the range', async () => {
      for (const path of ['/portrait.jpg', '/landscape.jpg']) await publisher().createImageContainer(fb(token), IG_USER_ID, image(path));
      expect(meta.publishing.containers.size).to.equal(2);
    });
  });

  describe('on the Instagram Graph (an Instagram Login link)', () => {
    let instagram: FakeInstagram;
    beforeEach(async () => {
      instagram = await startFakeInstagram();
    });
    afterEach(() => instagram.close());

    it('the same calls under {INSTAGRAM_GRAPH_URL}/v25.0 with the account’s own token and no appsecret_proof; 190 is token_expired', async () => {
      const ig = publisher(undefined, `${meta.url}/v25.0`, `${instagram.url}/v25.0`);
      const own: PublishingToken = { value: instagram.issueToken(), login: 'instagram' };
      const igUserId = instagram.account.igUserId;
      expect(await ig.publishingQuota(own, igUserId)).to.deep.equal({ used: 0, total: 100, windowSeconds: 86_400 });
      const containerId = await ig.createImageContainer(own, igUserId, { ...image(), caption: '페이지 없이' });
      let status = await ig.containerStatus(own, containerId);
      while (status === 'IN_PROGRESS') status = await ig.containerStatus(own, containerId);
      expect(status).to.equal('FINISHED');
      const mediaId = await ig.publish(own, igUserId, containerId);
      expect(await ig.permalink(own, mediaId)).to.equal(instagram.publishing.published[0].permalink);
      expect(await ig.checkAccount(own, igUserId)).to.equal(instagram.account.username);
      expect(meta.requests, 'nothing went to the Facebook Graph').to.deep.equal([]);
      expect(instagram.requests.every((r) => r.path.startsWith('/v25.0/') && r.query.access_token === own.value)).to.equal(true);
      expect(instagram.requests.some((r) => 'appsecret_proof' in r.query)).to.equal(false);
      instagram.expireTokens();
      expect(await failure(ig.checkAccount(own, igUserId))).to.include({ kind: 'token_expired', metaCode: 190 });
    });

    it('a story there too: media_type=STORIES and image_url only; the fake Instagram checks it as the Facebook one does (9:16 only)', async () => {
      const ig = publisher(undefined, `${meta.url}/v25.0`, `${instagram.url}/v25.0`);
      const own: PublishingToken = { value: instagram.issueToken(), login: 'instagram' };
      const igUserId = instagram.account.igUserId;
      const input = { ...image('/story.jpg'), caption: 'never sent', altText: 'never sent', kind: 'story' as const };
      const containerId = await ig.createImageContainer(own, igUserId, input);
      const [create] = instagram.requests.filter((r) => r.method === 'POST');
      expect(create.path).to.equal(`/v25.0/${igUserId}/media`);
      expect(create.form).to.deep.equal({ media_type: 'STORIES', image_url: `${images.url}/story.jpg` });
      let status = await ig.containerStatus(own, containerId);
      while (status === 'IN_PROGRESS') status = await ig.containerStatus(own, containerId);
      const mediaId = await ig.publish(own, igUserId, containerId);
      expect(instagram.publishing.published).to.have.length(1).and.to.have.nested.property('[0].story', true);
      expect(await ig.permalink(own, mediaId)).to.match(/^https:\/\/www\.instagram\.com\/stories\//);
      const square = await failure(ig.createImageContainer(own, igUserId, { ...image('/square.jpg'), kind: 'story' }));
      expect(square, 'not 9:16').to.include({ kind: 'rejected_media', metaCode: 36003 });
      expect(meta.requests, 'nothing went to the Facebook Graph').to.deep.equal([]);
    });
  });
});
