import { assertValidBirthday, calendarDate } from '../birthday.js';
import { errors, type Clock } from '../../shared/index.js';
import type { Gender } from '../user.js';
import type { UserRepository } from '../ports/user-repository.js';

export interface UpdateProfileInput {
  userId: number;
  birthday: string;
  gender: string;
}

/** Records birthday and gender, with "today" taken in the app's time zone. */
export class UpdateProfile {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly timeZone: string,
    /** The genders the contract accepts, in its words: the HTTP adapter declares them (schemas.ts GENDERS). */
    private readonly genders: readonly Gender[],
  ) {}

  async execute({ userId, birthday, gender }: UpdateProfileInput) {
    assertValidBirthday(birthday, calendarDate(this.clock.now(), this.timeZone));
    if (!this.genders.includes(gender)) {
      throw errors.invalidGender();
    }
    const updated = await this.users.updateProfile(userId, { birthday, gender });
    if (!updated) throw errors.notAuthenticated();
    return { id: userId, birthday, gender };
  }
}
