import { Migration } from '@mikro-orm/migrations';

/**
 * Insights: ss_post_insight (each published post's latest metrics, one row per post) and
 * ss_persona_insight_day (one row per persona and UTC day), both gone with their user or persona.
 * A metric Meta did not give is null.
 */
export class Migration20261205040000_insights extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(`create table \`ss_post_insight\` (
      \`post_id\` int unsigned not null,
      \`user_id\` int unsigned not null,
      \`persona_id\` int unsigned not null,
      \`permalink\` varchar(1024) null,
      \`published_at\` datetime(3) not null,
      \`fetched_at\` datetime(3) not null,
      \`refreshing_until\` datetime(3) null,
      \`views\` int null,
      \`reach\` int null,
      \`likes\` int null,
      \`comments\` int null,
      \`shares\` int null,
      \`saved\` int null,
      \`total_interactions\` int null,
      primary key (\`post_id\`),
      index \`ss_post_insight_user_id_index\` (\`user_id\`),
      index \`ss_post_insight_persona_id_index\` (\`persona_id\`),
      index \`ss_post_insight_persona_published_idx\` (\`persona_id\`, \`published_at\`),
      constraint \`ss_post_insight_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade,
      constraint \`ss_post_insight_persona_id_foreign\` foreign key (\`persona_id\`)
        references \`ss_persona\` (\`id\`) on update cascade on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
    this.addSql(`create table \`ss_persona_insight_day\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`user_id\` int unsigned not null,
      \`persona_id\` int unsigned not null,
      \`day\` varchar(10) not null,
      \`views\` int null,
      \`reach\` int null,
      \`follower_count\` int null,
      \`followers_count\` int null,
      \`media_count\` int null,
      index \`ss_persona_insight_day_user_id_index\` (\`user_id\`),
      index \`ss_persona_insight_day_persona_id_index\` (\`persona_id\`),
      unique \`ss_persona_insight_day_persona_day_uniq\` (\`persona_id\`, \`day\`),
      constraint \`ss_persona_insight_day_user_id_foreign\` foreign key (\`user_id\`)
        references \`ss_user\` (\`id\`) on update cascade on delete cascade,
      constraint \`ss_persona_insight_day_persona_id_foreign\` foreign key (\`persona_id\`)
        references \`ss_persona\` (\`id\`) on update cascade on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_persona_insight_day`;');
    this.addSql('drop table if exists `ss_post_insight`;');
  }
}
