/**
 * The absolute URL an outside service (Meta, when publishing) fetches a stored file from: the app's own
 * `/media/<file>` under a public base URL, or a time-limited URL of the bucket so the app need not be
 * reachable. Ask on each use: a URL may expire, so it is never stored.
 */
export interface PublicMediaUrls {
  /** For a URL a MediaStore's `save` returned. */
  fetchUrl(url: string): Promise<string>;
}
