import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryUserRepository } from '../../adapters/in-memory/in-memory-user-repository.js';
import { DomainError } from '../../core/shared/index.js';
import { UpdateProfile } from '../../core/identity/index.js';

const GENDERS = ['남성', '여성'];

// 2026-11-26 15:30 UTC is already 2026-11-27 00:30 in Seoul.
const NOW = new Date('2026-11-26T15:30:00Z');

describe('UpdateProfile', () => {
  let users: InMemoryUserRepository;
  let userId: number;
  let updateProfile: UpdateProfile;

  beforeEach(async () => {
    users = new InMemoryUserRepository();
    userId = (await users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: 'n', profileImage: null })).id;
    updateProfile = new UpdateProfile(users, new FixedClock(NOW), 'Asia/Seoul', GENDERS);
  });

  async function rejection(birthday: string, gender = '여성'): Promise<string> {
    try {
      await updateProfile.execute({ userId, birthday, gender });
    } catch (error) {
      expect(error).to.be.instanceOf(DomainError);
      expect((await users.findById(userId))?.birthday, 'nothing saved').to.equal(null);
      return (error as DomainError).code;
    }
    throw new Error(`expected ${birthday}/${gender} to be refused`);
  }

  it('saves birthday and gender and returns them', async () => {
    const result = await updateProfile.execute({ userId, birthday: '1995-04-12', gender: '남성' });
    expect(result).to.deep.equal({ id: userId, birthday: '1995-04-12', gender: '남성' });
    const user = await users.findById(userId);
    expect([user?.birthday, user?.gender]).to.deep.equal(['1995-04-12', '남성']);
  });

  it('allows today in APP_TIMEZONE, even where UTC is still on the day before', async () => {
    const result = await updateProfile.execute({ userId, birthday: '2026-11-27', gender: '여성' });
    expect(result.birthday).to.equal('2026-11-27');
  });

  it('refuses tomorrow in APP_TIMEZONE', async () => {
    expect(await rejection('2026-11-28')).to.equal('birthday_in_future');
  });

  it('uses the configured time zone for today', async () => {
    const utc = new UpdateProfile(users, new FixedClock(NOW), 'UTC', GENDERS);
    const error = await utc.execute({ userId, birthday: '2026-11-27', gender: '여성' }).catch((e) => e);
    expect(error.code).to.equal('birthday_in_future');
  });

  it('allows 1900-01-01 and refuses 1899-12-31', async () => {
    expect(await rejection('1899-12-31')).to.equal('birthday_too_old');
    expect((await updateProfile.execute({ userId, birthday: '1900-01-01', gender: '여성' })).birthday).to.equal('1900-01-01');
  });

  it('calls years before 1900 too old, even those Date.UTC would shift (0099)', async () => {
    expect(await rejection('0099-01-01')).to.equal('birthday_too_old');
    expect(await rejection('0000-02-30')).to.equal('birthday_too_old');
  });

  it('refuses dates that are not on the calendar', async () => {
    expect(await rejection('2023-02-30')).to.equal('invalid_birthday');
    expect(await rejection('2023-02-29')).to.equal('invalid_birthday');
    expect(await rejection('2023-13-01')).to.equal('invalid_birthday');
    expect(await rejection('2023-00-10')).to.equal('invalid_birthday');
  });

  it('allows a leap day in a leap year', async () => {
    expect((await updateProfile.execute({ userId, birthday: '2024-02-29', gender: '여성' })).birthday).to.equal('2024-02-29');
  });

  it('refuses anything not written YYYY-MM-DD', async () => {
    for (const birthday of ['1995-4-12', '1995-04-1', '95-04-12', '1995/04/12', '1995-04-12T00:00:00Z', ' 1995-04-12', '']) {
      expect(await rejection(birthday), birthday).to.equal('invalid_birthday');
    }
  });

  it('refuses a gender other than 남성 or 여성', async () => {
    for (const gender of ['male', '남', '', '남성 ', 'FEMALE']) {
      expect(await rejection('1995-04-12', gender), gender).to.equal('invalid_gender');
    }
  });

  it('answers not_authenticated for a user that no longer exists', async () => {
    const error = await updateProfile.execute({ userId: 999, birthday: '1995-04-12', gender: '여성' }).catch((e) => e);
    expect(error.code).to.equal('not_authenticated');
  });
});
