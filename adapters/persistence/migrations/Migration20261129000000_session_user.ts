import { Migration } from '@mikro-orm/migrations';

/**
 * ss_session.user_id: the signed-in user's id, copied from the session data, so a session is read
 * with its user in one statement. Existing rows need no value: the next migration deletes them all.
 */
export class Migration20261129000000_session_user extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql('alter table `ss_session` add `user_id` int unsigned null, add index `ss_session_user_id_idx` (`user_id`);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `ss_session` drop index `ss_session_user_id_idx`, drop column `user_id`;');
  }
}
