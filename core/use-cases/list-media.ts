import type { Media, MediaLibrary } from '../ports/media-library.js';

/** The user's images, newest first. */
export class ListMedia {
  constructor(private readonly library: MediaLibrary) {}

  execute(userId: number): Promise<Media[]> {
    return this.library.listByUser(userId);
  }
}
