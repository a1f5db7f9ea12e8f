import { Migration } from '@mikro-orm/migrations';

/**
 * The initial MySQL/MariaDB schema (utf8mb4, InnoDB), matching adapters/persistence/entities.ts:
 * after it runs, the schema generator reports no difference (test/contracts/mariadb.test.ts).
 */
export class Migration20261126000000_initial extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    const table = 'default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB';

    this.addSql(`create table \`ss_user\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`provider\` varchar(16) not null,
      \`provider_user_id\` varchar(64) not null,
      \`nickname\` varchar(255) null,
      \`profile_image\` varchar(1024) null,
      \`birthday\` varchar(10) null,
      \`gender\` varchar(8) null,
      \`created_at\` datetime not null,
      \`updated_at\` datetime not null,
      unique \`ss_user_provider_uniq\` (\`provider\`, \`provider_user_id\`)
    ) ${table};`);

    this.addSql(`create table \`ss_persona\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`user_id\` int unsigned not null,
      \`user_persona_num\` int not null,
      \`name\` varchar(255) not null,
      \`persona_parameters\` json not null,
      \`image_url\` varchar(1024) null,
      \`ig_user_id\` varchar(64) null,
      \`ig_username\` varchar(255) null,
      \`fb_page_id\` varchar(64) null,
      \`ig_linked_at\` datetime null,
      \`created_at\` datetime not null,
      index \`ss_persona_user_id_index\` (\`user_id\`),
      unique \`ss_persona_ig_user_id_uniq\` (\`ig_user_id\`),
      unique \`ss_persona_user_num_uniq\` (\`user_id\`, \`user_persona_num\`),
      constraint \`ss_persona_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade
    ) ${table};`);

    this.addSql(`create table \`ss_instagram_connector_persona\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`user_id\` int unsigned not null,
      \`user_persona_num\` int not null,
      \`token_ciphertext\` text not null,
      \`token_iv\` varchar(32) not null,
      \`token_tag\` varchar(32) not null,
      \`key_id\` varchar(32) not null,
      \`expires_at\` datetime null,
      \`updated_at\` datetime not null,
      index \`ss_instagram_connector_persona_user_id_index\` (\`user_id\`),
      unique \`ss_igconn_user_num_uniq\` (\`user_id\`, \`user_persona_num\`),
      constraint \`ss_instagram_connector_persona_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade
    ) ${table};`);

    this.addSql(`create table \`ss_session\` (
      \`id\` varchar(64) not null,
      \`data\` text not null,
      \`expires_at\` datetime(3) not null,
      primary key (\`id\`),
      index \`ss_session_expires_at_idx\` (\`expires_at\`)
    ) ${table};`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_session`;');
    this.addSql('drop table if exists `ss_instagram_connector_persona`;');
    this.addSql('drop table if exists `ss_persona`;');
    this.addSql('drop table if exists `ss_user`;');
  }
}
