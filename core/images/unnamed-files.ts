import type { MediaStore } from './ports/media-store.js';
import type { MediaReferences } from '../shared/index.js';

/** Removes media files whose rows were deleted, unless a row of anyone still names them (names are content hashes). */
export class UnnamedFiles {
  constructor(
    /** Everything that may name a media file. */
    private readonly references: MediaReferences[],
    private readonly media: MediaStore,
  ) {}

  /**
   * Call after the commit that deleted the rows naming `named`: a rolled-back deletion must not have
   * removed a file its rows still name. Answers the unnamed files that could not be removed.
   */
  async remove(named: string[]): Promise<string[]> {
    const stillNamed = new Set((await Promise.all(this.references.map((refs) => refs.referenced(named)))).flat());
    const unnamed = [...new Set(named)].filter((url) => !stillNamed.has(url));
    const removals = await Promise.allSettled(unnamed.map((url) => this.media.remove(url)));
    return unnamed.filter((_, i) => removals[i].status === 'rejected');
  }
}
