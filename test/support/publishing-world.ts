import sinon from 'sinon';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import { FakeInstagramPublisher } from '../../adapters/mock-providers/fake-instagram-publisher.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { JobWorker, type JobHandler } from '../../core/jobs/index.js';
import type { InstagramLogin, Persona } from '../../core/personas/index.js';
import { PageTokens, PersonaTokenReader, tokenAssociatedData, type MetaGraph } from '../../core/instagram/index.js';
import type { InstagramPublisher } from '../../core/publishing/index.js';
export const T0 = new Date('2030-05-17T08:30:00.000Z');
export const PAGE_TOKEN = 'PAGE-TOKEN-OF-THE-PERSONA';
const PORT_METHODS: readonly (keyof InstagramPublisher)[] = [
  'createImageContainer',
  'createCarouselItem',
  'createCarouselContainer',
  'containerStatus',
  'publish',
  'permalink',
  'publishingQuota',
  'checkAccount',
];

/** The MOCK publisher, each method of the port a sinon stub that calls it through unless a test says otherwise. */
export type StubbedPublisher = { [K in keyof InstagramPublisher]: sinon.SinonStub & InstagramPublisher[K] };

/**
 * The in-memory world the worker's handlers run in: a user (id 1) with a persona linked to an Instagram
 * account through `login` (Facebook Login: its Page token stored sealed beside the user token; Instagram Login:
 * its own token, which publishes), the MOCK publisher (which knows only that token, on that path) behind
 * stubs that record every call, and a JobWorker over the in-memory queue for the handlers given.
 */
export async function publishingWorld(login: InstagramLogin = 'facebook') {
  const clock = new FixedClock(T0);
  const jobs = new InMemoryJobQueue();
  const tokens = new InMemoryInstagramTokenStore();
  const personas = new InMemoryPersonaRepository(tokens);
  const cipher = new AesGcmTokenCipher(Buffer.alloc(32, 7));
  const meta = { listAccounts: sinon.stub().rejects(new Error('the Page token is stored: /me/accounts is not asked')) };
  const pageTokens = new PageTokens(tokens, cipher, new PersonaTokenReader(tokens, cipher, clock, null), meta as unknown as MetaGraph);
  const logs = { warn: sinon.spy(), error: sinon.spy() };

  /** A persona of user 1 linked to `igUserId`, with its tokens stored. */
  async function linkedPersona(igUserId: string, pageToken = PAGE_TOKEN): Promise<Persona> {
    const created = await personas.create(1, `persona ${igUserId}`, {});
    const fbPageId = login === 'facebook' ? '104' : null;
    await personas.linkInstagram(1, created.id, { igUserId, igUsername: 'selfstar', fbPageId, linkedAt: T0, login });
    const userToken = login === 'facebook' ? 'USER-TOKEN' : pageToken;
    const sealed = cipher.seal(userToken, tokenAssociatedData(1, created.num));
    await tokens.save(1, created.num, { sealed, expiresAt: null, metaUserId: '10157', storedAt: T0, login });
    const persona = (await personas.findOwned(1, { id: created.id }))!;
    if (login === 'facebook') await pageTokens.store(persona, pageToken);
    return persona;
  }

  const persona = await linkedPersona('17841400000000101');
  const ig = new FakeInstagramPublisher(
    (token) => (token.value === PAGE_TOKEN && token.login === login ? persona.instagram!.igUserId : null),
    clock,
  );
  for (const name of PORT_METHODS) sinon.stub(ig, name).callThrough();

  /** A worker running `handlers`; stop() aborts the job it runs (its handler then gives the job up). */
  const workerFor = (handlers: Record<string, JobHandler>) =>
    new JobWorker(jobs, handlers, clock, { name: 'w', leaseMs: 60_000, pollMs: 5, random: () => 0 }, logs);

  return {
    login,
    clock,
    jobs,
    tokens,
    personas,
    cipher,
    pageTokens,
    logs,
    persona,
    linkedPersona,
    ig: ig as unknown as StubbedPublisher,
    workerFor,
  };
}

/** The MOCK publisher's own method, for a stub that must really do the call before answering otherwise. */
export function real<K extends keyof InstagramPublisher>(world: { ig: StubbedPublisher }, name: K): InstagramPublisher[K] {
  return (FakeInstagramPublisher.prototype[name] as (...args: unknown[]) => unknown).bind(world.ig) as InstagramPublisher[K];
}
