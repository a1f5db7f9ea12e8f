import { Migration } from '@mikro-orm/migrations';

/**
 * Publishing: ss_post (a persona's posts; the error in four columns) and ss_post_media (a post's images by
 * position, with what the worker made for each), both gone with their user, persona or post; and
 * needs_reconnect on each persona's token row (Meta refused the token).
 */
export class Migration20261129080000_post extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(`create table \`ss_post\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`user_id\` int unsigned not null,
      \`persona_id\` int unsigned not null,
      \`status\` varchar(16) not null,
      \`caption\` text not null,
      \`alt_text\` text null,
      \`scheduled_at\` datetime(3) null,
      \`local_at\` varchar(16) null,
      \`time_zone\` varchar(64) null,
      \`container_id\` varchar(64) null,
      \`ig_media_id\` varchar(64) null,
      \`permalink\` varchar(1024) null,
      \`error_code\` varchar(64) null,
      \`error_message\` text null,
      \`error_meta_code\` int null,
      \`error_meta_subcode\` int null,
      \`attempts\` int not null,
      \`publish_key\` varchar(255) null,
      \`created_at\` datetime(3) not null,
      \`updated_at\` datetime(3) not null,
      \`published_at\` datetime(3) null,
      index \`ss_post_user_id_index\` (\`user_id\`),
      index \`ss_post_persona_id_index\` (\`persona_id\`),
      index \`ss_post_persona_created_idx\` (\`persona_id\`, \`created_at\`),
      index \`ss_post_persona_status_scheduled_idx\` (\`persona_id\`, \`status\`, \`scheduled_at\`),
      constraint \`ss_post_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade,
      constraint \`ss_post_persona_id_foreign\` foreign key (\`persona_id\`)
        references \`ss_persona\` (\`id\`) on update cascade on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`create table \`ss_post_media\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`post_id\` int unsigned not null,
      \`position\` int not null,
      \`media_id\` int not null,
      \`url\` varchar(255) not null,
      \`prepared_url\` varchar(255) null,
      \`container_id\` varchar(64) null,
      index \`ss_post_media_post_id_index\` (\`post_id\`),
      index \`ss_post_media_prepared_url_idx\` (\`prepared_url\`),
      unique \`ss_post_media_post_position_uniq\` (\`post_id\`, \`position\`),
      constraint \`ss_post_media_post_id_foreign\` foreign key (\`post_id\`)
        references \`ss_post\` (\`id\`) on update cascade on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql('alter table `ss_instagram_connector_persona` add `needs_reconnect` tinyint(1) not null default false;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `ss_instagram_connector_persona` drop column `needs_reconnect`;');
    this.addSql('drop table if exists `ss_post_media`;');
    this.addSql('drop table if exists `ss_post`;');
  }
}
