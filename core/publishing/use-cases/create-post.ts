import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { checkAltText, checkCaption, ownedMedia } from '../post-content.js';
import type { Post } from '../post.js';
import type { Clock } from '../../shared/index.js';
import type { MediaLibrary } from '../../images/index.js';
import type { PostRepository } from '../ports/post-repository.js';

export interface PostContent {
  caption: string;
  /** Media ids of the caller's library, in the order they appear. */
  media: number[];
  altText: string | null;
}

/** A draft post of one of the caller's personas, with a caption Instagram accepts and images of the caller's own library. */
export class CreatePost {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly library: MediaLibrary,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
  ) {}

  async execute(userId: number, personaId: number, content: PostContent): Promise<Post> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    checkCaption(content.caption);
    checkAltText(content.altText);
    const media = await ownedMedia(this.library, userId, content.media);
    return this.posts.create(
      { userId, personaId: persona.id, caption: content.caption, altText: content.altText, media },
      this.clock.now(),
    );
  }
}
