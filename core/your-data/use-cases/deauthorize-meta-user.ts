import { errors, type TransactionRunner } from '../../shared/index.js';
import type { InstagramLogin, PersonaRepository } from '../../personas/index.js';
import type { InsightsStore } from '../../insights/index.js';
import type { PostRepository } from '../../publishing/index.js';
import { verifySignedRequest, type MetaSignedRequest } from '../signed-request.js';
import type { UnnamedFiles } from '../../images/index.js';

/**
 * Meta's deauthorize callback (the user removed the app on Facebook): every persona link and token of
 * that Meta user goes, and with them those personas' posts (their images' rows and jobs too) and insights, in one
 * transaction; then the prepared images no row names any more. A token stored after the request was
 * signed (the user linked again) stays, so a replayed request is answered the same and can never undo a
 * later link. An unknown user: nothing to do. The same for both apps: Facebook Login's (signed with META_APP_SECRET)
 * and Instagram Login's (INSTAGRAM_APP_SECRET), each removing only what its own users linked.
 */
export class DeauthorizeMetaUser {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
    private readonly insights: InsightsStore,
    private readonly transactions: TransactionRunner,
    private readonly files: UnnamedFiles,
    /** Each app's secret, which signs its requests (META_APP_SECRET, INSTAGRAM_APP_SECRET); null when that app is not configured. */
    private readonly appSecrets: Record<InstagramLogin, string | null>,
  ) {}

  async execute({
    signedRequest,
    login = 'facebook',
  }: {
    signedRequest: string;
    /** Whose notice: Facebook Login's app (the default) or Instagram Login's. */
    login?: InstagramLogin;
  }): Promise<{ request: MetaSignedRequest; unlinked: number }> {
    const appSecret = this.appSecrets[login];
    // Without the secret no request can be verified: the caller's 400, like any unverifiable one, not a 5xx.
    if (!appSecret) throw errors.invalidSignedRequest();
    const request = verifySignedRequest(signedRequest, appSecret);
    const { unlinked, named } = await this.transactions.inTransaction(async () => {
      const personaIds = await this.personas.unlinkMetaUser(request.userId, request.issuedAt, login);
      await this.insights.deleteByPersonas(personaIds);
      return { unlinked: personaIds.length, named: await this.posts.deleteByPersonas(personaIds) };
    });
    await this.files.remove(named);
    return { request, unlinked };
  }
}
