import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';

const APP_SECRET = 'fake-meta-secret';
const IG_USER_ID = '17841400000000101';
const OTHER_IG_USER_ID = '17841400000000102';

/** The fake Graph server itself, called over raw HTTP: it must refuse what Meta refuses, or the adapter tests prove little. */
describe('The fake Meta server’s publishing calls (test support)', () => {
  let meta: FakeMeta;
  let images: ImageServer;

  const proof = (token: string) => createHmac('sha256', APP_SECRET).update(token).digest('hex');
  async function call(method: 'GET' | 'POST', path: string, token: string, fields: Record<string, string> = {}, withProof = true) {
    const url = new URL(`${meta.url}/v25.0${path}`);
    url.searchParams.set('access_token', token);
    if (withProof) url.searchParams.set('appsecret_proof', proof(token));
    if (method === 'GET') for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    const res = await fetch(url, method === 'GET' ? {} : { method, body: new URLSearchParams(fields) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  before(async () => {
    images = await startImageServer();
  });
  after(() => images.close());
  beforeEach(async () => {
    meta = await startFakeMeta({ appSecret: APP_SECRET });
  });
  afterEach(() => meta.close());

  it('refuses a call without appsecret_proof, and a user token where a Page token is needed', async () => {
    const token = meta.issuePageToken('104000000000001');
    const noProof = await call('GET', `/${IG_USER_ID}/content_publishing_limit`, token, {}, false);
    expect(noProof.status).to.equal(400);
    expect(noProof.body.error.message).to.match(/appsecret_proof/);
    const pageWithoutInstagram = meta.issuePageToken('104000000000002');
    expect((await call('GET', `/${IG_USER_ID}/content_publishing_limit`, pageWithoutInstagram)).body.error.code).to.equal(10);
  });

  it('keeps each account’s containers and quota to its own Page token', async () => {
    const mine = meta.issuePageToken('104000000000001');
    const theirs = meta.issuePageToken('104000000000003');
    const created = await call('POST', `/${IG_USER_ID}/media`, mine, { image_url: `${images.url}/square.jpg` });
    expect(created.status).to.equal(200);
    expect((await call('GET', `/${created.body.id}`, theirs, { fields: 'status_code' })).body.error.error_subcode).to.equal(33);
    expect((await call('POST', `/${IG_USER_ID}/media`, theirs, { image_url: `${images.url}/square.jpg` })).status).to.equal(400);
    expect((await call('GET', `/${OTHER_IG_USER_ID}/content_publishing_limit`, theirs, {})).body.data[0].quota_usage).to.equal(0);
  });

  it('takes a story container only as media_type=STORIES with a 9:16 JPEG and nothing else (no caption, no alt text, no carousel)', async () => {
    const token = meta.issuePageToken('104000000000001');
    const story = (fields: Record<string, string>) => call('POST', `/${IG_USER_ID}/media`, token, { media_type: 'STORIES', ...fields });
    const made = await story({ image_url: `${images.url}/story.jpg` });
    expect(made.status).to.equal(200);
    expect(meta.publishing.containers.get(made.body.id)).to.include({ story: true, carouselItem: false }).and.not.have.property('caption');
    for (const path of ['/square.jpg', '/portrait.jpg', '/tall.jpg']) {
      const refused = await story({ image_url: `${images.url}${path}` });
      expect(refused.body.error, `${path} is not 9:16`).to.include({ code: 36003, error_subcode: 2207009 });
    }
    expect((await story({ image_url: `${images.url}/photo.png` })).body.error, 'a PNG').to.include({ code: 36001 });
    expect((await story({ image_url: `${images.url}/huge.jpg` })).body.error, 'over 8 MiB').to.include({ code: 36000 });
    for (const extra of [{ caption: 'hi' }, { alt_text: 'a face' }, { is_carousel_item: 'true' }] as Record<string, string>[]) {
      const refused = await story({ image_url: `${images.url}/story.jpg`, ...extra });
      expect(refused.body.error.message, JSON.stringify(extra)).to.match(/not supported for stories/);
    }
    expect(
      (await call('POST', `/${IG_USER_ID}/media`, token, { image_url: `${images.url}/story.jpg` })).body.error,
      'a 9:16 feed image',
    ).to.include({
      code: 36003,
    });
    expect((await story({})).body.error.message).to.match(/image_url is required/);
    expect(
      (await call('POST', `/${IG_USER_ID}/media`, token, { media_type: 'VIDEO', image_url: `${images.url}/square.jpg` })).status,
    ).to.equal(400);
  });

  it('downloads image_url for real, once per container: an image removed meanwhile is refused', async () => {
    const token = meta.issuePageToken('104000000000001');
    images.files.set('/once.jpg', images.files.get('/square.jpg')!);
    const url = `${images.url}/once.jpg`;
    expect((await call('POST', `/${IG_USER_ID}/media`, token, { image_url: url })).status).to.equal(200);
    images.files.delete('/once.jpg');
    const gone = await call('POST', `/${IG_USER_ID}/media`, token, { image_url: url });
    expect(gone.body.error).to.include({ code: 9004, error_subcode: 2207052 });
    expect(images.requests.filter((path) => path === '/once.jpg')).to.have.length(2);
  });

  it('refuses media_publish once the quota is used up, and answers the quota it was given', async () => {
    const token = meta.issuePageToken('104000000000001');
    meta.publishing.pollsUntilFinished = 1;
    const created = await call('POST', `/${IG_USER_ID}/media`, token, { image_url: `${images.url}/square.jpg` });
    expect((await call('GET', `/${created.body.id}`, token, { fields: 'status_code' })).body.status_code).to.equal('FINISHED');
    meta.publishing.quotaUsage = 100;
    expect((await call('GET', `/${IG_USER_ID}/content_publishing_limit`, token)).body).to.deep.equal({
      data: [{ quota_usage: 100, config: { quota_total: 100, quota_duration: 86_400 } }],
    });
    const refused = await call('POST', `/${IG_USER_ID}/media_publish`, token, { creation_id: created.body.id });
    expect(refused.body.error).to.include({ code: 9, error_subcode: 2207042 });
    meta.publishing.quotaUsage = undefined;
    expect((await call('POST', `/${IG_USER_ID}/media_publish`, token, { creation_id: created.body.id })).status).to.equal(200);
    expect(meta.publishCalls()).to.have.length(2);
    expect(meta.publishing.published).to.have.length(1);
  });
});
