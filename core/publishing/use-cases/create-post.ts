import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { checkAltText, checkCaption, checkKindRules, ownedMedia } from '../post-content.js';
import type { Post, PostKind } from '../post.js';
import type { Clock } from '../../shared/index.js';
import type { MediaLibrary } from '../../images/index.js';
import type { PostRepository } from '../ports/post-repository.js';

export interface PostContent {
  /** `feed` unless told; fixed once the post is made. */
  kind?: PostKind;
  caption: string;
  /** Media ids of the caller's library, in the order they appear. */
  media: number[];
  altText: string | null;
}

/**
 * A draft post of one of the caller's personas, with a caption Instagram accepts and images of the caller's own
 * library; a story with one image and no caption.
 */
export class CreatePost {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly library: MediaLibrary,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
  ) {}

  async execute(userId: number, personaId: number, content: PostContent): Promise<Post> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    const kind = content.kind ?? 'feed';
    checkCaption(content.caption);
    checkAltText(content.altText);
    checkKindRules(kind, { caption: content.caption, mediaCount: content.media.length });
    const media = await ownedMedia(this.library, userId, content.media);
    return this.posts.create(
      { userId, personaId: persona.id, kind, caption: content.caption, altText: content.altText, media },
      this.clock.now(),
    );
  }
}
