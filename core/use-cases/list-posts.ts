import { requireOwnedPersona } from '../owned-persona.js';
import type { Post, PostStatus } from '../post.js';
import type { PersonaRepository } from '../ports/persona-repository.js';
import type { PostRepository } from '../ports/post-repository.js';

/** The posts of one of the caller's personas, newest first, optionally of one status. */
export class ListPosts {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
  ) {}

  async execute(userId: number, personaId: number, status?: PostStatus): Promise<Post[]> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    return this.posts.listByPersona(userId, persona.id, status);
  }
}
