import type { ImageType } from './image-processor.js';
import type { Page, PageRequest, MediaReferences, UserDataStore } from '../../shared/index.js';
/** Where a media row's image came from: POST /api/images (`ai`) or POST /api/media (`upload`). */
export type MediaSource = 'ai' | 'upload';

/** One image a user owns: a row of the media library naming a file of the MediaStore. */
export interface Media {
  id: number;
  userId: number;
  /** The MediaStore's URL of the file (`/media/<sha256>.<ext>`); several rows may name one file. */
  url: string;
  contentType: ImageType;
  width: number;
  height: number;
  /** The file's size. */
  bytes: number;
  source: MediaSource;
  createdAt: Date;
}

export type NewMedia = Omit<Media, 'id' | 'createdAt'>;

/**
 * Every user's images. Contract: test/contracts/media-library.contract.ts. Erasing a user deletes
 * their rows (UserDataStore) and asks which files other rows still name (MediaReferences).
 */
export interface MediaLibrary extends UserDataStore, MediaReferences {
  add(media: NewMedia, createdAt: Date): Promise<Media>;
  /** The user's rows among `ids` (any order; ids of other users or of no row left out). */
  findOwned(userId: number, ids: number[]): Promise<Media[]>;
  /**
   * A page of the user's media, newest first (equal times: the later row first); `next` is null on the last
   * page. Keyset paging (see PageKey): rows added between two reads never shift or repeat the later pages.
   */
  listByUser(userId: number, page: PageRequest): Promise<Page<Media>>;
}
