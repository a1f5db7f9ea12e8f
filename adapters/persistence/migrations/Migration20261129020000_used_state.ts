import { Migration } from '@mikro-orm/migrations';

/**
 * ss_used_state: the SHA-256 of each OAuth sign-in state whose callback ran, until the state expires, so
 * a replayed callback is refused by every instance (the pending sign-in itself lives in a cookie).
 */
export class Migration20261129020000_used_state extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'create table `ss_used_state` (`state_hash` varchar(64) not null, `expires_at` datetime(3) not null, ' +
        'primary key (`state_hash`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `ss_used_state` add index `ss_used_state_expires_at_idx` (`expires_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ss_used_state`;');
  }
}
