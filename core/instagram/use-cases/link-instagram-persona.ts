import { errors, type Clock } from '../../shared/index.js';
import { withInstagramLink, type Persona, type PersonaRef, requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import type { PageTokens } from '../page-token.js';
import type { PersonaTokenReader } from '../persona-token.js';
import type { MetaGraph } from '../ports/meta-graph.js';

/**
 * Links the persona to an Instagram business account, which must be one its Meta token can see
 * (asked of Meta, never trusted from the client), and keeps that Page's access token, sealed, for
 * publishing. 409 when another persona has the account.
 */
export class LinkInstagramPersona {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokenReader: PersonaTokenReader,
    private readonly meta: MetaGraph,
    private readonly clock: Clock,
    private readonly pageTokens: PageTokens,
  ) {}

  async execute({ userId, persona: ref, igUserId }: { userId: number; persona?: PersonaRef; igUserId: string }): Promise<Persona> {
    const persona = await requireOwnedPersona(this.personas, userId, ref);
    const accounts = await this.meta.listAccounts(await this.tokenReader.read(persona));
    const account = accounts.find((candidate) => candidate.igUserId === igUserId);
    if (!account) {
      throw errors.igAccountNotAccessible();
    }
    const link = {
      igUserId,
      igUsername: account.igUsername,
      fbPageId: account.pageId,
      linkedAt: this.clock.now(),
      login: 'facebook' as const,
    };
    if (!(await this.personas.linkInstagram(userId, persona.id, link))) {
      throw errors.personaNotFound(); // deleted meanwhile
    }
    if (account.pageAccessToken) await this.pageTokens.store(persona, account.pageAccessToken);
    return withInstagramLink(persona, link);
  }
}
