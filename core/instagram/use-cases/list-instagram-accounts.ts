import { type PersonaRef, requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import type { PersonaTokenReader } from '../persona-token.js';
import type { InstagramAccount, MetaGraph } from '../ports/meta-graph.js';

/** The Instagram business accounts the persona's Meta token can see. */
export class ListInstagramAccounts {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokenReader: PersonaTokenReader,
    private readonly meta: MetaGraph,
  ) {}

  async execute({ userId, persona: ref }: { userId: number; persona?: PersonaRef }): Promise<InstagramAccount[]> {
    const persona = await requireOwnedPersona(this.personas, userId, ref);
    return this.meta.listAccounts(await this.tokenReader.read(persona));
  }
}
