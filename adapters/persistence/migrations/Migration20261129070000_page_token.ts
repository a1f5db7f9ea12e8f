import { Migration } from '@mikro-orm/migrations';

/** Publishing: each persona's Page access token, sealed like the user token beside it (null until linked or first used). */
export class Migration20261129070000_page_token extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(
      'alter table `ss_instagram_connector_persona` add `page_token_ciphertext` text null, add `page_token_iv` varchar(32) null, add `page_token_tag` varchar(32) null, add `page_key_id` varchar(32) null;',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table `ss_instagram_connector_persona` drop column `page_token_ciphertext`, drop column `page_token_iv`, drop column `page_token_tag`, drop column `page_key_id`;',
    );
  }
}
