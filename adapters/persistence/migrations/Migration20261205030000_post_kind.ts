import { Migration } from '@mikro-orm/migrations';

/**
 * A post's kind (issue 21): `feed` or `story`, every earlier post a feed post. Two more keyset indexes for
 * GET /api/personas/:id/posts?kind= (of one kind, and of one kind and status), each a range in created_at order.
 */
export class Migration20261205030000_post_kind extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      "alter table `ss_post` add `kind` varchar(8) not null default 'feed' after `persona_id`, " +
        'add index `ss_post_user_persona_kind_created_idx` (`user_id`, `persona_id`, `kind`, `created_at`), ' +
        'add index `ss_post_user_persona_kind_status_created_idx` (`user_id`, `persona_id`, `kind`, `status`, `created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table `ss_post` drop index `ss_post_user_persona_kind_status_created_idx`, ' +
        'drop index `ss_post_user_persona_kind_created_idx`, drop column `kind`;',
    );
  }
}
