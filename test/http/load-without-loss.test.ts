import { expect } from 'chai';
import { realDatabases } from '../support/databases.js';
import { startFakeKakao, type FakeKakao } from '../support/fake-kakao-server.js';
import { LoopbackClient, loopbackAddress } from '../support/loopback-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Users, and updates each user sends in each of the two phases. Issue 10's size is LOAD_UPDATES=50:
 * `LOAD_UPDATES=50 TEST_MYSQL_URL=… npx mocha -g 'load without loss'`.
 */
const USERS = Number(process.env.LOAD_USERS ?? 100);
const UPDATES = Number(process.env.LOAD_UPDATES ?? 10);

interface Profile {
  birthday: string;
  gender: string;
}

/**
 * One write and when the client saw it start and end, on that user's own event counter. A write
 * acknowledged before another of the same user started was committed before that one: the
 * server answers only after its single UPDATE has committed.
 */
interface Write {
  profile: Profile;
  started: number;
  acknowledged: number;
  status: number;
  answeredId?: number;
}

/** A distinct profile for every (phase, index), so a final row names the write that left it. */
function profileOf(phase: number, index: number): Profile {
  const day = new Date(Date.UTC(1950, 0, 1) + (phase * UPDATES + index) * 86_400_000);
  return { birthday: day.toISOString().slice(0, 10), gender: index % 2 ? '남성' : '여성' };
}

/** Sends `profiles` in order with at most `inFlight` of them unanswered at a time. */
async function sendProfiles(client: LoopbackClient, profiles: Profile[], inFlight: number): Promise<Write[]> {
  let clock = 0;
  const writes: Write[] = profiles.map((profile) => ({ profile, started: 0, acknowledged: 0, status: 0 }));
  let next = 0;
  const lane = async () => {
    while (next < writes.length) {
      const write = writes[next++];
      write.started = ++clock;
      const res = await client.request('PUT', '/users/me/profile', write.profile);
      write.acknowledged = ++clock;
      write.status = res.status;
      if (res.status === 200) write.answeredId = (JSON.parse(res.body) as { user: { id: number } }).user.id;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return writes;
}

/**
 * The writes that may be last: those acknowledged after the user's last write started. No write
 * followed them, so any of them may have committed last; every other one was overtaken by a write
 * the client started after seeing it acknowledged. One at a time, that is exactly the last write.
 */
function mayBeLast(writes: Write[]): Profile[] {
  const lastStart = Math.max(...writes.map((write) => write.started));
  return writes.filter((write) => write.acknowledged > lastStart).map((write) => write.profile);
}

const mariadb = realDatabases().filter((database) => database.name === 'MariaDB');

for (const database of mariadb) {
  describe(`load without loss on ${database.name}: ${USERS} users sign in, then each sends ${UPDATES} profile updates twice, all users at once`, function () {
    this.timeout(Math.max(20_000, USERS * UPDATES * 40)); // a guard against a hang, not a measure
    let kakao: FakeKakao;
    let app: TestApp;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    const users: { client: LoopbackClient; providerUserId: string; id: number }[] = [];

    before(async () => {
      kakao = await startFakeKakao({ clientId: 'kakao-client' });
      const opened = await database.open();
      rows = opened.rows;
      app = await startTestApp({
        persistence: opened.persistence,
        env: { KAKAO_CLIENT_ID: 'kakao-client', KAKAO_AUTH_BASE_URL: kakao.url, KAKAO_API_BASE_URL: kakao.url },
      });
      for (let i = 0; i < USERS; i++) {
        users.push({ client: new LoopbackClient(app.url, loopbackAddress(i)), providerUserId: String(7_000_000_000 + i), id: 0 });
      }
      const logins = await Promise.all(users.map(({ client }) => client.request('GET', '/auth/kakao/login')));
      // The fake issues each code for its `nextUser`, so codes are taken one by one; the callbacks then all run at once.
      const callbacks: string[] = [];
      for (const [i, login] of logins.entries()) {
        kakao.nextUser = { id: users[i].providerUserId, nickname: `부하 ${i}`, image: null };
        const authorize = await fetch(login.headers.location!, { redirect: 'manual' });
        callbacks.push(authorize.headers.get('location')!);
      }
      const signedIn = await Promise.all(users.map(({ client }, i) => client.request('GET', callbacks[i])));
      expect(signedIn.map((res) => res.headers.location)).to.deep.equal(Array(USERS).fill('http://localhost:5174/'));
      for (const user of users) user.id = JSON.parse((await user.client.request('GET', '/auth/me')).body).user.id;
    });
    after(async () => {
      for (const { client } of users) client.close();
      await app?.close();
      await kakao?.close();
    });

    /** Each user's profile as its ss_user row holds it, by provider user id; and that there is exactly one row per user. */
    async function finalRows(): Promise<Map<string, Profile>> {
      const all = await rows('ss_user');
      expect(all).to.have.length(USERS);
      const byPerson = new Map(all.map((row) => [String(row.provider_user_id), { birthday: row.birthday, gender: row.gender } as Profile]));
      expect([...byPerson.keys()].sort()).to.deep.equal(users.map((user) => user.providerUserId).sort());
      return byPerson;
    }

    /** Every user sends its writes at once with the others; no answer but 200, each to its own user; then the final rows. */
    async function run(phase: number, inFlight: number) {
      const sent = await Promise.all(
        users.map(({ client }) =>
          sendProfiles(
            client,
            Array.from({ length: UPDATES }, (_, index) => profileOf(phase, index)),
            inFlight,
          ),
        ),
      );
      const statuses: Record<number, number> = {};
      for (const write of sent.flat()) statuses[write.status] = (statuses[write.status] ?? 0) + 1;
      expect(statuses, 'answers by status').to.deep.equal({ 200: USERS * UPDATES });
      sent.forEach((writes, i) => expect(new Set(writes.map((write) => write.answeredId))).to.deep.equal(new Set([users[i].id])));
      const rowsNow = await finalRows();
      return users.map((user, i) => ({ row: rowsNow.get(user.providerUserId), mayBeLast: mayBeLast(sent[i]) }));
    }

    it('gives every user one row of their own', async () => {
      await finalRows();
      expect(new Set(users.map((user) => user.id)).size).to.equal(USERS);
    });

    it('keeps each user’s last acknowledged write when each write waits for the previous one’s answer', async () => {
      for (const { row, mayBeLast: last } of await run(1, 1)) {
        expect(last).to.have.length(1);
        expect(row).to.deep.equal(last[0]);
      }
    });

    it('keeps one of the writes no later write followed when all of a user’s writes overlap too', async () => {
      for (const { row, mayBeLast: candidates } of await run(2, UPDATES)) {
        expect(candidates).to.deep.include(row);
      }
    });
  });
}
