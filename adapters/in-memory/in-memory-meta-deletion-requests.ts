import { wholeSecond } from '../../core/personas/index.js';
import type { MetaDeletionRequest, MetaDeletionRequests } from '../../core/your-data/index.js';

/** Request times kept to the whole second, as the database adapters keep them. */
export class InMemoryMetaDeletionRequests implements MetaDeletionRequests {
  private readonly byKey = new Map<string, MetaDeletionRequest>();

  async record(requestKey: string, request: MetaDeletionRequest): Promise<MetaDeletionRequest> {
    if (!this.byKey.has(requestKey)) {
      this.byKey.set(requestKey, { confirmationCode: request.confirmationCode, requestedAt: wholeSecond(request.requestedAt) });
    }
    return structuredClone(this.byKey.get(requestKey)!);
  }

  async findByCode(confirmationCode: string): Promise<MetaDeletionRequest | null> {
    const found = [...this.byKey.values()].find((request) => request.confirmationCode === confirmationCode);
    return found ? structuredClone(found) : null;
  }
}
