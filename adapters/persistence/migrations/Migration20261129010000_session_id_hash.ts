import { Migration } from '@mikro-orm/migrations';

/**
 * ss_session.id now holds the SHA-256 of the session id, not the id. Rows keyed by raw ids can never
 * be found again, so they are deleted: everyone signs in once more.
 */
export class Migration20261129010000_session_id_hash extends Migration {
  /** Runs after DDL in the same `db:migrate`: a transaction begun before it would fail with "table definition has changed". */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql('delete from `ss_session`;');
  }

  override async down(): Promise<void> {
    this.addSql('delete from `ss_session`;');
  }
}
