import { Migration } from '@mikro-orm/migrations';

/** ss_rate_limit: the rate limits every instance shares (see RATE_LIMIT_TABLE in entities.ts). */
export class Migration20261129040000_rate_limit extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'create table `ss_rate_limit` (`key` varchar(255) not null, `points` int not null default 0, `expire` bigint unsigned null, ' +
        'primary key (`key`)) default character set utf8mb4 engine = InnoDB;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table `ss_rate_limit`;');
  }
}
