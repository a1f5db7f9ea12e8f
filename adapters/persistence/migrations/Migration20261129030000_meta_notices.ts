import { Migration } from '@mikro-orm/migrations';

/**
 * Meta's deauthorize and data-deletion notices: each token keeps its app-scoped Meta user (null for
 * tokens stored before; those personas must be linked again to be found by a notice), and the
 * data-deletion requests get a table of their own.
 */
export class Migration20261129030000_meta_notices extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'alter table `ss_instagram_connector_persona` add `meta_user_id` varchar(64) null, add index `ss_igconn_meta_user_id_idx` (`meta_user_id`);',
    );
    this.addSql(`create table \`ss_meta_deletion_request\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`confirmation_code\` varchar(64) not null,
      \`request_key\` varchar(64) not null,
      \`requested_at\` datetime not null,
      unique \`ss_meta_deletion_code_uniq\` (\`confirmation_code\`),
      unique \`ss_meta_deletion_key_uniq\` (\`request_key\`)
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_meta_deletion_request`;');
    this.addSql('alter table `ss_instagram_connector_persona` drop index `ss_igconn_meta_user_id_idx`, drop column `meta_user_id`;');
  }
}
