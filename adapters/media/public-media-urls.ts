import type { PublicMediaUrls } from '../../core/images/index.js';
import type { S3MediaStore } from './s3-media-store.js';

/** The app serves the file itself: `{baseUrl}/media/<file>` (PUBLIC_MEDIA_BASE_URL). */
export class BaseUrlMediaUrls implements PublicMediaUrls {
  constructor(private readonly baseUrl: string) {}

  fetchUrl(url: string): Promise<string> {
    return Promise.resolve(`${this.baseUrl}${url}`);
  }
}

/** The bucket serves the file: a GET URL of its object presigned for `seconds` (S3_PRESIGN_SECONDS). */
export class PresignedMediaUrls implements PublicMediaUrls {
  constructor(
    private readonly store: S3MediaStore,
    private readonly seconds: number,
  ) {}

  async fetchUrl(url: string): Promise<string> {
    const signed = await this.store.presignedUrl(url, this.seconds);
    if (signed === null) throw new Error(`not a stored media URL: ${url}`);
    return signed;
  }
}
