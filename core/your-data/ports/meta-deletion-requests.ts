/** A Meta data-deletion request as its status page shows it. */
export interface MetaDeletionRequest {
  /** Random and unguessable: the only way to read the status. */
  confirmationCode: string;
  requestedAt: Date;
}

/**
 * The data-deletion requests Meta sent (ss_meta_deletion_request), each under a key that names the
 * request without naming the user (a hash). Contract: test/contracts/meta-deletion-requests.contract.ts.
 */
export interface MetaDeletionRequests {
  /**
   * Stores `request` under `requestKey`, or, when that key is already stored, keeps and returns the
   * first one (its code and time): a replayed request gets the same answer and writes nothing.
   * `requestedAt` is stored to the whole second.
   */
  record(requestKey: string, request: MetaDeletionRequest): Promise<MetaDeletionRequest>;
  findByCode(confirmationCode: string): Promise<MetaDeletionRequest | null>;
}
