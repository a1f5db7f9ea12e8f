import { Migration } from '@mikro-orm/migrations';

/**
 * Instagram Login, the second link path: which sign-in linked each persona (ss_persona.ig_login, null when
 * unlinked; links made before it are Facebook Login's) and which app issued each stored token
 * (ss_instagram_connector_persona.login: every token stored before it is Facebook Login's).
 */
export class Migration20261205020000_instagram_login extends Migration {
  /** MySQL commits DDL implicitly: a transaction would only pretend to protect it. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql('alter table `ss_persona` add `ig_login` varchar(16) null after `ig_linked_at`;');
    this.addSql("alter table `ss_instagram_connector_persona` add `login` varchar(16) not null default 'facebook';");
  }

  override async down(): Promise<void> {
    this.addSql('alter table `ss_instagram_connector_persona` drop column `login`;');
    this.addSql('alter table `ss_persona` drop column `ig_login`;');
  }
}
