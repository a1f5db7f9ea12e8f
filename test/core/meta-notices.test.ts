import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryInsightsStore } from '../../adapters/in-memory/in-memory-insights-store.js';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryMetaDeletionRequests } from '../../adapters/in-memory/in-memory-meta-deletion-requests.js';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { InMemoryTransactionRunner } from '../../adapters/in-memory/in-memory-transaction-runner.js';
import type { Persona } from '../../core/personas/index.js';
import { PUBLISH_POST_JOB, publishJobKey } from '../../core/publishing/index.js';
import { UnnamedFiles } from '../../core/images/index.js';
import { DeauthorizeMetaUser, GetMetaDeletionStatus, RequestMetaDataDeletion } from '../../core/your-data/index.js';
import { metaNoticePayload, metaSignedRequest } from '../support/meta-signed-request.js';
import { codeOf } from '../support/rejection.js';

const SECRET = 'meta-app-secret';
const NOW = new Date('2026-11-29T03:00:00Z');
const META_USER = '10157000000000001';
const STATUS_URL = 'https://api.example/oauth/meta/deletion-status';
const IG_SECRET = 'instagram-app-secret';

describe("Meta's deauthorize and data-deletion notices", () => {
  let tokens: InMemoryInstagramTokenStore;
  let personas: InMemoryPersonaRepository;
  let requests: InMemoryMetaDeletionRequests;
  let clock: FixedClock;
  let persona: Persona;
  let jobs: InMemoryJobQueue;
  let posts: InMemoryPostRepository;
  let media: InMemoryMediaStore;
  let insights: InMemoryInsightsStore;

  beforeEach(async () => {
    tokens = new InMemoryInstagramTokenStore();
    personas = new InMemoryPersonaRepository(tokens);
    jobs = new InMemoryJobQueue();
    posts = new InMemoryPostRepository(jobs);
    media = new InMemoryMediaStore();
    insights = new InMemoryInsightsStore();
    requests = new InMemoryMetaDeletionRequests();
    clock = new FixedClock(NOW);
    persona = await personas.create(1, '페르소나', {});
    await personas.linkInstagram(1, persona.id, { igUserId: '1784', igUsername: 'star', fbPageId: '1', linkedAt: NOW, login: 'facebook' });
    const sealed = { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' };
    await tokens.save(1, persona.num, { sealed, expiresAt: null, metaUserId: META_USER, storedAt: NOW });
  });

  const deauthorize = (secret: string | null = SECRET, instagramSecret: string | null = IG_SECRET) =>
    new DeauthorizeMetaUser(personas, posts, insights, new InMemoryTransactionRunner(), new UnnamedFiles([personas, posts], media), {
      facebook: secret,
      instagram: instagramSecret,
    });

  /** A post of the persona with its job queued, and its image prepared as `bytes`. */
  async function postWithJob(of: Persona, bytes: Uint8Array) {
    const post = await posts.create(
      { userId: of.userId, personaId: of.id, caption: '안녕 👋', altText: null, media: [{ mediaId: 1, url: '/memory/a.png' }] },
      NOW,
    );
    const prepared = await media.save(bytes, 'jpg');
    await posts.saveMediaProgress(post.id, 0, { preparedUrl: prepared });
    const job = { kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: publishJobKey(post.id), lane: null, runAt: NOW };
    await jobs.enqueue(job, NOW);
    return { post, prepared };
  }
  const deletion = () => new RequestMetaDataDeletion(deauthorize(), requests, clock, STATUS_URL);
  const signed = (userId = META_USER, issuedAt = NOW) => metaSignedRequest(metaNoticePayload(userId, issuedAt), SECRET);

  describe("the Instagram app's notices (Instagram Login)", () => {
    let solo: Persona;
    const IG_USER = '27000000000000042';
    const igSigned = (secret = IG_SECRET) => metaSignedRequest(metaNoticePayload(IG_USER, NOW), secret);

    beforeEach(async () => {
      solo = await personas.create(1, '솔로', {});
      await personas.linkInstagram(1, solo.id, { igUserId: '1785', igUsername: 'solo', fbPageId: null, linkedAt: NOW, login: 'instagram' });
      const sealed = { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' };
      await tokens.save(1, solo.num, { sealed, expiresAt: null, metaUserId: IG_USER, storedAt: NOW, login: 'instagram' });
    });

    it('are verified with INSTAGRAM_APP_SECRET, remove that account’s link, token and posts, and only those', async () => {
      const gone = await postWithJob(solo, Uint8Array.of(9));
      expect(await codeOf(deauthorize().execute({ signedRequest: igSigned(SECRET), login: 'instagram' }))).to.equal(
        'invalid_signed_request',
      );
      expect(await codeOf(deauthorize(SECRET, null).execute({ signedRequest: igSigned(), login: 'instagram' }))).to.equal(
        'invalid_signed_request',
      );
      expect((await deauthorize().execute({ signedRequest: igSigned(SECRET) })).unlinked, "Facebook's notice of the same id").to.equal(0);
      expect((await deauthorize().execute({ signedRequest: igSigned(), login: 'instagram' })).unlinked).to.equal(1);
      expect((await personas.findOwned(1, { id: solo.id }))?.instagram).to.equal(null);
      expect(await tokens.get(1, solo.num)).to.equal(null);
      expect(await posts.findOwned(1, gone.post.id)).to.equal(null);
      expect((await personas.findOwned(1, { id: persona.id }))?.instagram?.login, 'the Facebook Login link stays').to.equal('facebook');
    });

    it('data deletion answers a status URL and code, the same for a replay', async () => {
      const receipts = new RequestMetaDataDeletion(deauthorize(), requests, clock, STATUS_URL);
      const first = await receipts.execute({ signedRequest: igSigned(), login: 'instagram' });
      expect(first.url).to.equal(`${STATUS_URL}?code=${first.confirmationCode}`);
      expect(await tokens.get(1, solo.num)).to.equal(null);
      expect(await receipts.execute({ signedRequest: igSigned(), login: 'instagram' })).to.deep.equal(first);
    });
  });

  it('deauthorize removes the link and token of the Meta user, idempotently; an unknown user changes nothing', async () => {
    const day = {
      personaId: persona.id,
      userId: 1,
      date: '2026-11-28',
      views: 1,
      reach: 1,
      followerCount: null,
      followersCount: 3,
      mediaCount: 1,
    };
    await insights.saveDay(day);
    expect((await deauthorize().execute({ signedRequest: signed('42') })).unlinked).to.equal(0);
    expect(await insights.latestCounts(persona.id)).to.deep.equal(day);
    expect((await deauthorize().execute({ signedRequest: signed() })).unlinked).to.equal(1);
    expect(await insights.latestCounts(persona.id), 'the persona’s insights went with the link').to.equal(null);
    expect((await personas.findOwned(1, { id: persona.id }))?.instagram).to.equal(null);
    expect(await tokens.get(1, persona.num)).to.equal(null);
    expect((await deauthorize().execute({ signedRequest: signed() })).unlinked).to.equal(0);
  });

  it("deauthorize deletes the unlinked persona's posts with their jobs and prepared images, and no other persona's", async () => {
    const gone = await postWithJob(persona, Uint8Array.of(1));
    const other = await personas.create(1, '다른', {});
    const kept = await postWithJob(other, Uint8Array.of(2));
    const shared = await posts.create(
      { userId: 1, personaId: other.id, caption: 'c', altText: null, media: [{ mediaId: 1, url: '/memory/a.png' }] },
      NOW,
    );
    const sharedFile = await media.save(Uint8Array.of(3), 'jpg');
    const goneToo = await postWithJob(persona, Uint8Array.of(3));
    await posts.saveMediaProgress(shared.id, 0, { preparedUrl: sharedFile });

    expect((await deauthorize().execute({ signedRequest: signed() })).unlinked).to.equal(1);

    for (const { post } of [gone, goneToo]) {
      expect(await posts.findById(post.id)).to.equal(null);
      expect(await jobs.findByDedupeKey(publishJobKey(post.id))).to.equal(null);
    }
    expect(media.files.has(gone.prepared.slice('/memory/'.length)), 'an image only the deleted post named').to.equal(false);
    expect(media.files.has(sharedFile.slice('/memory/'.length)), 'an image another post still names').to.equal(true);
    expect(await posts.findById(kept.post.id)).to.deep.include({ personaId: other.id });
    expect(await jobs.findByDedupeKey(publishJobKey(kept.post.id))).to.not.equal(null);
    expect(media.files.has(kept.prepared.slice('/memory/'.length))).to.equal(true);
  });

  it('a request signed before the token was stored leaves it', async () => {
    const result = await deauthorize().execute({ signedRequest: signed(META_USER, new Date(NOW.getTime() - 1000)) });
    expect(result.unlinked).to.equal(0);
    expect(await tokens.get(1, persona.num)).to.not.equal(null);
  });

  it('refuses a bad signature (invalid_signed_request) and, without an app secret, refuses every request the same way; nothing removed', async () => {
    const foreign = metaSignedRequest(metaNoticePayload(META_USER, NOW), 'another-app');
    expect(await codeOf(deauthorize().execute({ signedRequest: foreign }))).to.equal('invalid_signed_request');
    expect(await codeOf(deauthorize(null).execute({ signedRequest: signed() }))).to.equal('invalid_signed_request');
    expect(await tokens.get(1, persona.num)).to.not.equal(null);
  });

  it('data deletion removes the data and records a random code; a replay gets the same code; the status reads it', async () => {
    const receipt = await deletion().execute({ signedRequest: signed() });
    expect(receipt.confirmationCode).to.match(/^[0-9a-f]{32}$/);
    expect(receipt.url).to.equal(`${STATUS_URL}?code=${receipt.confirmationCode}`);
    expect(await tokens.get(1, persona.num)).to.equal(null);
    clock.advance(60_000);
    expect(await deletion().execute({ signedRequest: signed() })).to.deep.equal(receipt);
    const other = await deletion().execute({ signedRequest: signed('42') });
    expect(other.confirmationCode).to.not.equal(receipt.confirmationCode);
    const status = new GetMetaDeletionStatus(requests);
    expect(await status.execute({ code: receipt.confirmationCode })).to.deep.equal({
      confirmationCode: receipt.confirmationCode,
      requestedAt: NOW,
    });
    expect(await codeOf(status.execute({ code: 'f'.repeat(32) }))).to.equal('not_found');
  });
});
