import { Migration } from '@mikro-orm/migrations';

/**
 * ss_job: the durable job queue (publishing, token checks). lane_holder is the lane while a job runs, else
 * null; its unique index lets one job per lane hold a lease. The two state indexes serve the claim.
 */
export class Migration20261129060000_job extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(`create table \`ss_job\` (
      \`id\` int unsigned not null auto_increment primary key,
      \`kind\` varchar(32) not null,
      \`reference\` varchar(64) not null,
      \`dedupe_key\` varchar(128) not null,
      \`lane\` varchar(64) null,
      \`lane_holder\` varchar(64) null,
      \`state\` varchar(16) not null,
      \`phase\` text null,
      \`run_at\` datetime(3) not null,
      \`attempts\` int not null,
      \`lease_owner\` varchar(64) null,
      \`lease_expires_at\` datetime(3) null,
      \`last_error\` text null,
      \`created_at\` datetime(3) not null,
      \`updated_at\` datetime(3) not null,
      unique \`ss_job_dedupe_key_uniq\` (\`dedupe_key\`),
      unique \`ss_job_lane_holder_uniq\` (\`lane_holder\`),
      index \`ss_job_state_run_at_idx\` (\`state\`, \`run_at\`),
      index \`ss_job_state_lease_idx\` (\`state\`, \`lease_expires_at\`)
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_job`;');
  }
}
