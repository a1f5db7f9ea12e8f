import { Migration } from '@mikro-orm/migrations';

/**
 * Keyset pages of a persona's posts (GET /api/personas/:id/posts): one index per list statement, all of
 * them or those of one status, each a range in created_at order (then id: InnoDB appends the primary key).
 * They replace ss_post_persona_created_idx, which the statement filtered by user_id too could not use alone.
 */
export class Migration20261205000000_post_pages extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'alter table `ss_post` add index `ss_post_user_persona_created_idx` (`user_id`, `persona_id`, `created_at`), ' +
        'add index `ss_post_user_persona_status_created_idx` (`user_id`, `persona_id`, `status`, `created_at`), ' +
        'drop index `ss_post_persona_created_idx`;',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table `ss_post` add index `ss_post_persona_created_idx` (`persona_id`, `created_at`), ' +
        'drop index `ss_post_user_persona_status_created_idx`, drop index `ss_post_user_persona_created_idx`;',
    );
  }
}
