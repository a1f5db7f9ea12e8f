import { Migration } from '@mikro-orm/migrations';

/**
 * ss_media, the media library: one row per image a user owns (saved by POST /api/images or uploaded),
 * naming a content-addressed file that rows of several users may share.
 */
export class Migration20261129050000_media extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(`create table \`ss_media\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`user_id\` int unsigned not null,
      \`url\` varchar(255) not null,
      \`content_type\` varchar(32) not null,
      \`width\` int not null,
      \`height\` int not null,
      \`bytes\` int not null,
      \`source\` varchar(8) not null,
      \`created_at\` datetime(3) not null,
      index \`ss_media_user_id_index\` (\`user_id\`),
      index \`ss_media_url_idx\` (\`url\`),
      index \`ss_media_user_created_idx\` (\`user_id\`, \`created_at\`),
      constraint \`ss_media_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_media`;');
  }
}
