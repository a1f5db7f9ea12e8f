import { Migration } from '@mikro-orm/migrations';

/**
 * A failed post's error by message key and values (error_key, error_params), worded in the reader's
 * language when read. error_message stays for the rows written before, which held an English sentence:
 * they are read through adapters/persistence/legacy-post-error.ts, not rewritten.
 */
export class Migration20261205010000_post_error_key extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'alter table `ss_post` add `error_key` varchar(64) null after `error_code`, add `error_params` text null after `error_key`;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table `ss_post` drop column `error_params`, drop column `error_key`;');
  }
}
