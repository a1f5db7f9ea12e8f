import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.js';
import type { MetaDeletionRequests } from '../ports/meta-deletion-requests.js';
import type { DeauthorizeMetaUser } from './deauthorize-meta-user.js';

export interface MetaDeletionReceipt {
  /** Where the user reads the status, with the code. */
  url: string;
  confirmationCode: string;
}

/**
 * Meta's data-deletion request: the user's links and tokens go (as for a deauthorize), and the request
 * is recorded under a confirmation code for the status page. A replay of the same signed request gets
 * the first answer back and writes nothing. The record names no Meta user.
 */
export class RequestMetaDataDeletion {
  constructor(
    private readonly deauthorize: DeauthorizeMetaUser,
    private readonly requests: MetaDeletionRequests,
    private readonly clock: Clock,
    /** `{BACKEND_URL}/oauth/meta/deletion-status`. */
    private readonly statusUrl: string,
  ) {}

  async execute(notice: Parameters<DeauthorizeMetaUser['execute']>[0]): Promise<MetaDeletionReceipt> {
    const { request } = await this.deauthorize.execute(notice);
    // Hex: Meta asks for an alphanumeric code; 128 random bits cannot be guessed.
    const fresh = { confirmationCode: randomBytes(16).toString('hex'), requestedAt: this.clock.now() };
    const { confirmationCode } = await this.requests.record(request.requestKey, fresh);
    return { url: `${this.statusUrl}?code=${confirmationCode}`, confirmationCode };
  }
}
