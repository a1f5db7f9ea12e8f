import { expect } from 'chai';
import sinon from 'sinon';
import {
  tokenAssociatedData,
  CHECK_TOKENS_JOB,
  CheckTokens,
  GetInstagramStatus,
  InstagramLoginTokenRefresher,
  type InstagramLoginApi,
} from '../../core/instagram/index.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { errors } from '../../core/shared/index.js';
import { PublishFailure } from '../../core/publishing/index.js';
import { publishingWorld, PAGE_TOKEN, T0 } from '../support/publishing-world.js';

const DAY_MS = 86_400_000;

/** Instagram Login's refresh as a stub: a new token for 60 days, or a refusal when told. */
function stubInstagram() {
  return { refresh: sinon.stub().callsFake(async () => ({ accessToken: 'REFRESHED-TOKEN', expiresInSeconds: 60 * 86_400 })) };
}

type World = Awaited<ReturnType<typeof publishingWorld>>;
const refresher = (world: World, instagram = stubInstagram()) =>
  new InstagramLoginTokenRefresher(world.tokens, world.cipher, instagram as unknown as InstagramLoginApi, world.clock);

describe('CheckTokens (the daily check_tokens job)', () => {
  let world: World;
  let check: CheckTokens;

  beforeEach(async () => {
    world = await publishingWorld();
    const { personas, pageTokens, tokens, ig, jobs, clock, logs } = world;
    check = new CheckTokens(personas, pageTokens, tokens, ig, jobs, clock, logs, refresher(world));
  });

  const needsReconnect = async (num: number) => (await world.tokens.get(1, num))!.needsReconnect ?? false;

  it('is queued once per UTC day: every worker start asks, the day’s job is made once', async () => {
    const first = await check.scheduleToday();
    world.clock.advance(3_600_000);
    const again = await check.scheduleToday();
    expect(again.id).to.equal(first.id);
    expect(first).to.deep.include({ kind: CHECK_TOKENS_JOB, reference: '2030-05-17', dedupeKey: 'check_tokens:2030-05-17', runAt: T0 });
  });

  it('checks every linked persona with its Page token; 190 marks needs_reconnect, other failures are skipped; queues tomorrow’s', async () => {
    const refused = await world.linkedPersona('17841400000000102', 'REFUSED-PAGE-TOKEN');
    const flaky = await world.linkedPersona('17841400000000103', 'FLAKY-PAGE-TOKEN');
    const unlinked = await world.personas.create(1, 'not linked', {});
    world.ig.checkAccount
      .withArgs(sinon.match({ value: 'REFUSED-PAGE-TOKEN' }))
      .rejects(new PublishFailure('token_expired', 'Session has expired', 190, 463));
    world.ig.checkAccount.withArgs(sinon.match({ value: 'FLAKY-PAGE-TOKEN' })).rejects(new PublishFailure('transient', 'busy', 2));
    await check.scheduleToday();
    const worker = world.workerFor({ [CHECK_TOKENS_JOB]: check.handle });

    expect(await worker.runOnce()).to.equal(true);
    const fb = (value: string) => ({ value, login: 'facebook' });
    expect(world.ig.checkAccount.getCalls().map((call) => call.args)).to.deep.equal([
      [fb(PAGE_TOKEN), world.persona.instagram!.igUserId],
      [fb('REFUSED-PAGE-TOKEN'), refused.instagram!.igUserId],
      [fb('FLAKY-PAGE-TOKEN'), flaky.instagram!.igUserId],
    ]);
    expect([await needsReconnect(world.persona.num), await needsReconnect(refused.num), await needsReconnect(flaky.num)]).to.deep.equal([
      false,
      true,
      false,
    ]);
    expect(await world.tokens.get(1, unlinked.num)).to.equal(null);
    expect((await world.jobs.findByDedupeKey('check_tokens:2030-05-17'))!.state).to.equal('done');
    const tomorrow = (await world.jobs.findByDedupeKey('check_tokens:2030-05-18'))!;
    expect(tomorrow).to.deep.include({ state: 'queued', runAt: new Date('2030-05-18T00:00:00Z') });
    expect(await worker.runOnce(), 'not before its day').to.equal(false);
    world.clock.advance(tomorrow.runAt.getTime() - T0.getTime());
    expect(await worker.runOnce()).to.equal(true);
    expect((await world.jobs.findByDedupeKey('check_tokens:2030-05-19'))!.state).to.equal('queued');
  });

  it('a user token that expired before the Page token was kept: needs_reconnect without a Graph call', async () => {
    const sealed = world.cipher.seal('USER-TOKEN', tokenAssociatedData(1, world.persona.num));
    await world.tokens.save(1, world.persona.num, { sealed, expiresAt: new Date(T0.getTime() - 1000), metaUserId: '1', storedAt: T0 });
    await check.scheduleToday();
    expect(await world.workerFor({ [CHECK_TOKENS_JOB]: check.handle }).runOnce()).to.equal(true);
    expect(await needsReconnect(world.persona.num)).to.equal(true);
    expect(world.ig.checkAccount.callCount).to.equal(0);
  });
});

describe('CheckTokens: Instagram Login tokens are refreshed (fake clock)', () => {
  let world: World;
  let instagram: ReturnType<typeof stubInstagram>;
  let check: CheckTokens;

  beforeEach(async () => {
    world = await publishingWorld('instagram');
    instagram = stubInstagram();
    const { personas, pageTokens, tokens, ig, jobs, clock, logs } = world;
    check = new CheckTokens(personas, pageTokens, tokens, ig, jobs, clock, logs, refresher(world, instagram));
  });

  /** The persona's token, stored `ageDays` ago for 60 days (an Instagram Login token as linking stores it). */
  async function tokenAged(ageDays: number): Promise<void> {
    const storedAt = new Date(T0.getTime() - ageDays * DAY_MS);
    const sealed = world.cipher.seal(PAGE_TOKEN, tokenAssociatedData(1, world.persona.num));
    const expiresAt = new Date(storedAt.getTime() + 60 * DAY_MS);
    await world.tokens.save(1, world.persona.num, { sealed, expiresAt, metaUserId: '2700', storedAt, login: 'instagram' });
  }
  const runCheck = async () => {
    await check.scheduleToday();
    expect(await world.workerFor({ [CHECK_TOKENS_JOB]: check.handle }).runOnce()).to.equal(true);
  };
  const stored = async () => (await world.tokens.get(1, world.persona.num))!;
  const status = () =>
    new GetInstagramStatus(world.personas, world.tokens, world.pageTokens, world.ig, new InMemoryPostRepository(world.jobs)).execute(
      1,
      world.persona.id,
    );

  it('a 50-day-old token (expiring within 10 days) is refreshed: the new token is stored sealed, and the status shows its new expiry', async () => {
    await tokenAged(50);
    world.ig.checkAccount.resolves('selfstar'); // the publisher of this world knows only the first token
    const before = (await status()).tokenExpiresAt;
    expect(before).to.deep.equal(new Date(T0.getTime() + 10 * DAY_MS));
    await runCheck();
    expect(instagram.refresh.calledOnceWithExactly(PAGE_TOKEN)).to.equal(true);
    const refreshed = await stored();
    expect(refreshed.expiresAt).to.deep.equal(new Date(T0.getTime() + 60 * DAY_MS));
    expect(world.cipher.open(refreshed.sealed, tokenAssociatedData(1, world.persona.num))).to.equal('REFRESHED-TOKEN');
    expect(refreshed).to.deep.include({ needsReconnect: false, login: 'instagram', metaUserId: '2700' });
    expect((await status()).tokenExpiresAt).to.deep.equal(new Date(T0.getTime() + 60 * DAY_MS));
  });

  it('a 12-hour-old token is not refreshed (Instagram refuses under 24 h), nor one that expires in more than 10 days', async () => {
    await tokenAged(0.5);
    await runCheck();
    await tokenAged(45);
    world.clock.advance(DAY_MS);
    await runCheck();
    expect(instagram.refresh.callCount).to.equal(0);
    expect((await stored()).needsReconnect).to.equal(false);
  });

  it('an expired token cannot be refreshed: needs_reconnect, without asking Instagram', async () => {
    await tokenAged(61);
    await runCheck();
    expect(instagram.refresh.callCount).to.equal(0);
    expect((await stored()).needsReconnect).to.equal(true);
    expect((await status()).needsReconnect).to.equal(true);
  });

  it('a refusal (code 190) sets needs_reconnect and keeps the old token', async () => {
    await tokenAged(55);
    instagram.refresh.rejects(errors.personaOauthExpired());
    await runCheck();
    expect(instagram.refresh.callCount).to.equal(1);
    expect(await stored()).to.deep.include({ needsReconnect: true, expiresAt: new Date(T0.getTime() + 5 * DAY_MS) });
  });

  it('a Facebook Login token is never refreshed here', async () => {
    const facebook = await publishingWorld('facebook');
    const sealed = facebook.cipher.seal('USER-TOKEN', tokenAssociatedData(1, facebook.persona.num));
    const storedAt = new Date(T0.getTime() - 55 * DAY_MS);
    const expiresAt = new Date(T0.getTime() + 5 * DAY_MS);
    await facebook.tokens.save(1, facebook.persona.num, { sealed, expiresAt, metaUserId: '1', storedAt });
    expect(await refresher(facebook, instagram).refreshIfDue(facebook.persona)).to.equal(false);
    expect(instagram.refresh.callCount).to.equal(0);
  });
});
