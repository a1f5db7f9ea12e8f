import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { realDatabases } from '../support/databases.js';
import { startPublishingApp, type PublishingApp } from '../support/publishing-app.js';

const KAKAO = { KAKAO_ADMIN_KEY: 'kakao-admin-key', KAKAO_APP_ID: '1234567' };

for (const database of realDatabases()) {
  describe(`publishing data goes with its owner on ${database.name}: posts, post media, jobs and prepared images`, function () {
    this.timeout(60_000);
    let world: PublishingApp;

    beforeEach(async () => {
      world = await startPublishingApp(database, { worker: true, env: KAKAO });
    });
    afterEach(() => world.close());

    /** A published post (its prepared JPEG on disk) and a scheduled one (its job queued): their ids and the JPEG's path. */
    async function publishedAndScheduled() {
      const personaId = world.personas[0].id;
      const published = await world.draft(personaId);
      await world.expectStatus(await world.send('POST', `/api/posts/${published.id}/publish`), 202);
      expect((await world.settled(published.id)).status).to.equal('published');
      const scheduled = await world.draft(personaId);
      const at = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
      await world.expectStatus(await world.send('POST', `/api/posts/${scheduled.id}/schedule`, { at, time_zone: 'UTC' }), 200);
      expect((await world.job(scheduled.id))?.state).to.equal('queued');
      const stored = await world.persistence.posts.findById(published.id);
      const prepared = join(world.app.config.mediaRoot, stored!.media[0].preparedUrl!.replace('/media/', ''));
      expect(existsSync(prepared), prepared).to.equal(true);
      return { ids: [published.id as number, scheduled.id as number], prepared };
    }

    async function expectGone(ids: number[]) {
      for (const id of ids) {
        expect(await world.persistence.posts.findById(id), `post ${id}`).to.equal(null);
        expect(await world.job(id), `job of post ${id}`).to.equal(null);
      }
    }

    it('Kakao’s unlink notice (the user left): every post, its media rows and jobs, and the prepared JPEG are gone', async () => {
      const { ids, prepared } = await publishedAndScheduled();
      const res = await world.app.fetch('/auth/kakao/unlink-callback', {
        method: 'POST',
        headers: { authorization: `KakaoAK ${KAKAO.KAKAO_ADMIN_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `app_id=${KAKAO.KAKAO_APP_ID}&user_id=1&referrer_type=UNLINK_FROM_APPS`,
      });
      expect(res.status).to.equal(200);
      await expectGone(ids);
      expect(existsSync(prepared)).to.equal(false);
    });

    it('Meta’s deauthorize notice: the unlinked persona’s posts and their jobs are gone, and the link with them', async () => {
      const { ids } = await publishedAndScheduled();
      const res = await world.metaNotice('/oauth/meta/deauthorize');
      expect(res.status).to.equal(200);
      await expectGone(ids);
      expect((await world.persistence.personas.findOwned(world.userId, { id: world.personas[0].id }))?.instagram).to.equal(null);
    });
  });
}
