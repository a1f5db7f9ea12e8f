import { expect } from 'chai';
import { tokenAssociatedData, CHECK_TOKENS_JOB, CheckTokens } from '../../core/instagram/index.js';
import { PublishFailure } from '../../core/publishing/index.js';
import { publishingWorld, PAGE_TOKEN, T0 } from '../support/publishing-world.js';

describe('CheckTokens (the daily check_tokens job)', () => {
  let world: Awaited<ReturnType<typeof publishingWorld>>;
  let check: CheckTokens;

  beforeEach(async () => {
    world = await publishingWorld();
    const { personas, pageTokens, tokens, ig, jobs, clock, logs } = world;
    check = new CheckTokens(personas, pageTokens, tokens, ig, jobs, clock, logs);
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
    world.ig.checkAccount.withArgs('REFUSED-PAGE-TOKEN').rejects(new PublishFailure('token_expired', 'Session has expired', 190, 463));
    world.ig.checkAccount.withArgs('FLAKY-PAGE-TOKEN').rejects(new PublishFailure('transient', 'busy', 2));
    await check.scheduleToday();
    const worker = world.workerFor({ [CHECK_TOKENS_JOB]: check.handle });

    expect(await worker.runOnce()).to.equal(true);
    expect(world.ig.checkAccount.getCalls().map((call) => call.args)).to.deep.equal([
      [PAGE_TOKEN, world.persona.instagram!.igUserId],
      ['REFUSED-PAGE-TOKEN', refused.instagram!.igUserId],
      ['FLAKY-PAGE-TOKEN', flaky.instagram!.igUserId],
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
