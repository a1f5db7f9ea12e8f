import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { MetaDeletionRequests } from '../../core/your-data/index.js';

export interface MetaDeletionRequestsFixture {
  requests: MetaDeletionRequests;
  teardown(): Promise<void>;
}

/** Keys and codes no other test uses, so suites may share a database. */
const fresh = () => randomBytes(16).toString('hex');
const key = () => randomBytes(32).toString('hex');

/** The MetaDeletionRequests contract: every implementation (fake, SQLite, MariaDB) passes it. */
export function describeMetaDeletionRequests(name: string, setup: () => Promise<MetaDeletionRequestsFixture>): void {
  describe(`MetaDeletionRequests contract: ${name}`, () => {
    let fixture: MetaDeletionRequestsFixture;
    let requests: MetaDeletionRequests;

    beforeEach(async () => {
      fixture = await setup();
      requests = fixture.requests;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('records a request and finds it by its code, the time to the whole second', async () => {
      const request = { confirmationCode: fresh(), requestedAt: new Date('2030-07-16T08:30:15.789Z') };
      const stored = { confirmationCode: request.confirmationCode, requestedAt: new Date('2030-07-16T08:30:15.000Z') };
      expect(await requests.record(key(), request)).to.deep.equal(stored);
      expect(await requests.findByCode(request.confirmationCode)).to.deep.equal(stored);
    });

    it('an unknown code is null', async () => {
      expect(await requests.findByCode(fresh())).to.equal(null);
    });

    it('a second request under the same key gets the first one back, and its code finds nothing', async () => {
      const requestKey = key();
      const first = { confirmationCode: fresh(), requestedAt: new Date('2030-01-01T00:00:00.000Z') };
      const replay = { confirmationCode: fresh(), requestedAt: new Date('2030-01-02T00:00:00.000Z') };
      await requests.record(requestKey, first);
      expect(await requests.record(requestKey, replay)).to.deep.equal(first);
      expect(await requests.findByCode(replay.confirmationCode)).to.equal(null);
      expect(await requests.findByCode(first.confirmationCode)).to.deep.equal(first);
    });

    it('parallel records under one key all answer the same first request', async () => {
      const requestKey = key();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          requests.record(requestKey, { confirmationCode: fresh(), requestedAt: new Date(Date.UTC(2030, 0, 1 + i)) }),
        ),
      );
      expect(new Set(answers.map((answer) => answer.confirmationCode)).size).to.equal(1);
    });

    it('keeps requests under different keys apart', async () => {
      const [a, b] = [fresh(), fresh()];
      await requests.record(key(), { confirmationCode: a, requestedAt: new Date('2030-01-01T00:00:00.000Z') });
      await requests.record(key(), { confirmationCode: b, requestedAt: new Date('2030-01-02T00:00:00.000Z') });
      expect((await requests.findByCode(a))?.requestedAt).to.deep.equal(new Date('2030-01-01T00:00:00.000Z'));
      expect((await requests.findByCode(b))?.requestedAt).to.deep.equal(new Date('2030-01-02T00:00:00.000Z'));
    });
  });
}
