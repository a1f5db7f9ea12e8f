import { expect } from 'chai';
import { realDatabases } from '../support/databases.js';
import { LINK_PATHS, startPublishingApp, type PublishingApp } from '../support/publishing-app.js';
import { until } from '../support/worker-process.js';

const POSTS = 20;
const ACCOUNTS = 4;

for (const database of realDatabases())
  for (const login of LINK_PATHS) {
    describe(`publishing with real worker processes (npm run worker) on ${database.name}, linked through ${login} login`, function () {
      this.timeout(90_000);
      let world: PublishingApp;

      beforeEach(async () => {
        world = await startPublishingApp(database, { worker: false, accounts: ACCOUNTS, login });
      });
      afterEach(() => world.close());

      const publishNow = async (personaId: number) => {
        const draft = await world.draft(personaId);
        await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
        return draft.id as number;
      };

      for (const kind of ['feed', 'story'] as const) {
        it(`${kind}: a worker SIGKILLed while media_publish hangs: the next worker finds the post live → published, one media_publish`, async () => {
          world.graph.publishing.loseNextPublishAnswer = 'hang';
          const { id } = await world.draftOf(kind, world.personas[0].id);
          await world.expectStatus(await world.send('POST', `/api/posts/${id}/publish`), 202);
          const first = world.startWorker();
          await until(() => world.graph.publishCalls().length === 1);
          first.child.kill('SIGKILL');
          expect((await first.exited).signal).to.equal('SIGKILL');
          const second = world.startWorker();
          const post = await world.settled(id);
          expect(post, second.output()).to.include({ kind, status: 'published' });
          expect(world.graph.publishCalls()).to.have.length(1);
          expect(world.graph.publishing.published).to.have.length(1);
          expect(world.graph.publishing.published[0].story, 'published as a story').to.equal(kind === 'story');
        });
      }

      if (database.name === 'MariaDB') {
        it(`two workers and ${POSTS} due posts over ${ACCOUNTS} Instagram accounts: each published exactly once`, async () => {
          const ids: number[] = [];
          for (let i = 0; i < POSTS; i++) ids.push(await publishNow(world.personas[i % ACCOUNTS].id));
          const workers = [world.startWorker(), world.startWorker()];
          for (const id of ids) await world.settled(id);
          const posts = await Promise.all(ids.map((id) => world.post(id)));
          expect(posts.map((post) => post.status)).to.deep.equal(ids.map(() => 'published'));
          const creations = world.graph.publishCalls().map((call) => call.form?.creation_id);
          expect(creations, workers.map((worker) => worker.output()).join('\n')).to.have.length(POSTS);
          expect(new Set(creations).size, 'one media_publish per container').to.equal(POSTS);
          expect(new Set(posts.map((post) => post.ig_media_id)).size).to.equal(POSTS);
        });
      }
    });
  }
