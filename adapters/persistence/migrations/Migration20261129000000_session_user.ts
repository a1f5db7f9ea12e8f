import { Migration } from '@mikro-orm/migrations';

/**
 * ss_session.user_id: the signed-in user's id, copied from the session data, so a session is read
 * with its user in one statement. Existing sessions get it from their JSON, so nobody is signed out.
 */
export class Migration20261129000000_session_user extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql('alter table `ss_session` add `user_id` int unsigned null, add index `ss_session_user_id_idx` (`user_id`);');
    this.addSql(
      "update `ss_session` set `user_id` = cast(json_value(`data`, '$.userId') as unsigned) " +
        "where json_type(json_extract(`data`, '$.userId')) = 'INTEGER';",
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table `ss_session` drop index `ss_session_user_id_idx`, drop column `user_id`;');
  }
}
