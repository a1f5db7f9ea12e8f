import { errors } from '../../shared/index.js';
import type { MetaDeletionRequest, MetaDeletionRequests } from '../ports/meta-deletion-requests.js';

/** The status page of a data-deletion request: deletion is done before Meta is answered, so a known code is always done. */
export class GetMetaDeletionStatus {
  constructor(private readonly requests: MetaDeletionRequests) {}

  async execute({ code }: { code: string }): Promise<MetaDeletionRequest> {
    const request = await this.requests.findByCode(code);
    if (!request) throw errors.deletionRequestNotFound();
    return request;
  }
}
