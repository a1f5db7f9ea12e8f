export interface ImageRequest {
  name: string;
  gender: string;
  feature?: string;
  options: string[];
  /** The caller's persona the portrait is for. */
  personaId?: number;
}

/** Thrown (or rejected with) by an ImageGenerator; `reason` is short, safe to log, and names the failure. */
export class ImageGenerationFailed extends Error {
  constructor(readonly reason: string) {
    super(`image generation failed: ${reason}`);
    this.name = 'ImageGenerationFailed';
  }
}

/**
 * The AI image server. Resolves with the `image` field of its answer exactly as received (a
 * data URI the caller still has to check); rejects with ImageGenerationFailed when the call
 * times out, fails, or does not answer JSON with a string `image`.
 */
export interface ImageGenerator {
  generate(request: ImageRequest): Promise<string>;
}
