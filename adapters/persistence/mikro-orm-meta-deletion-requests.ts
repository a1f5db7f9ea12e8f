import type { SqlEntityManager } from '@mikro-orm/mysql';
import { wholeSecond } from '../../core/personas/index.js';
import type { MetaDeletionRequest, MetaDeletionRequests } from '../../core/your-data/index.js';
import { MetaDeletionRequestSchema, type MetaDeletionRequestRow } from './entities.js';
import { currentEm } from './current-em.js';
import { translateDbErrors } from './translate-db-errors.js';

type RequestColumns = Pick<MetaDeletionRequestRow, 'confirmationCode' | 'requestedAt'>;

/** ss_meta_deletion_request through MikroORM; times kept to the whole second on every database. */
export class MikroOrmMetaDeletionRequests implements MetaDeletionRequests {
  constructor(private readonly em: SqlEntityManager) {}

  /** insert … on conflict (request_key) do nothing, then the row under that key: the first request wins a race. */
  record(requestKey: string, request: MetaDeletionRequest): Promise<MetaDeletionRequest> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const row = { requestKey, confirmationCode: request.confirmationCode, requestedAt: wholeSecond(request.requestedAt) };
      await em.createQueryBuilder(MetaDeletionRequestSchema).insert(row).onConflict('requestKey').ignore().execute('run');
      return (await this.findOne({ requestKey }))!;
    });
  }

  findByCode(confirmationCode: string): Promise<MetaDeletionRequest | null> {
    return translateDbErrors(() => this.findOne({ confirmationCode }));
  }

  private async findOne(where: Partial<MetaDeletionRequestRow>): Promise<MetaDeletionRequest | null> {
    const row = await currentEm(this.em)
      .createQueryBuilder(MetaDeletionRequestSchema)
      .select(['confirmationCode', 'requestedAt'])
      .where(where)
      .limit(1)
      .execute<RequestColumns | undefined>('get');
    return row ? { confirmationCode: row.confirmationCode, requestedAt: new Date(row.requestedAt) } : null;
  }
}
