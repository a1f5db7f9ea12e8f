import { errors, type RateLimiter } from '../../shared/index.js';
import { renderFallbackSvg, svgDataUri } from '../fallback-svg.js';
import { checkImageDataUri, imageDataUri } from '../image-data.js';
import { MediaWriteFailed, type MediaKeeper } from '../media-keeper.js';
import { requireOwnedPersona, type PersonaRef, type PersonaRepository } from '../../personas/index.js';
import { ImageGenerationFailed, type ImageGenerator, type ImageRequest } from '../ports/image-generator.js';

export interface GenerateImageInput {
  userId: number;
  name: string;
  gender: string;
  feature?: string;
  options: string[];
  /** The caller's persona whose image_url the saved image becomes. */
  persona?: PersonaRef;
}

export type GeneratedImage =
  | { source: 'ai'; image: string; url: string }
  /** `reason` says why the AI image was not used (safe to log). */
  | { source: 'fallback'; image: string; url: null; reason: string };

export interface GenerateImageLimits {
  maxImageBytes: number;
  perMinute: number;
}

/** An AI portrait, kept in the user's media library, when the AI server delivers a real image; otherwise a drawn SVG card. */
export class GenerateImage {
  constructor(
    /** Null when no AI server is configured. */
    private readonly generator: ImageGenerator | null,
    private readonly keeper: MediaKeeper,
    private readonly personas: PersonaRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly limits: GenerateImageLimits,
  ) {}

  async execute(input: GenerateImageInput): Promise<GeneratedImage> {
    const persona = input.persona && (await requireOwnedPersona(this.personas, input.userId, input.persona));
    // A limiter store that cannot be reached refuses (db_unavailable): AI generations cost money.
    const verdict = await this.rateLimiter.take(`images:${input.userId}`, this.limits.perMinute, 60);
    if (!verdict.allowed) {
      throw errors.rateLimited(verdict.retryAfterSeconds);
    }

    const request: ImageRequest = { name: input.name, gender: input.gender, options: input.options };
    if (input.feature !== undefined) request.feature = input.feature;
    if (persona) request.personaId = persona.id;
    // No AI server: the card, without building an error to catch (this is every request of such a deployment).
    if (!this.generator) return fallback(input, 'not_configured');
    let saved: { image: string; url: string };
    try {
      saved = await this.fromAi(this.generator, input.userId, request);
    } catch (error) {
      if (!(error instanceof ImageGenerationFailed)) throw error;
      return fallback(input, error.reason);
    }
    if (persona) await this.personas.setImageUrl(input.userId, persona.id, saved.url);
    return { source: 'ai', ...saved };
  }

  private async fromAi(generator: ImageGenerator, userId: number, request: ImageRequest): Promise<{ image: string; url: string }> {
    const image = checkImageDataUri(await generator.generate(request), this.limits.maxImageBytes);
    const kept = await this.keeper.keep(userId, image, 'ai').catch((error: unknown) => {
      throw error instanceof MediaWriteFailed ? new ImageGenerationFailed('media_write_failed') : error;
    });
    if (!kept) throw new ImageGenerationFailed('not_an_image');
    return { image: imageDataUri(image), url: kept.url };
  }
}

/** The drawn SVG card, and why the AI image was not used. */
function fallback(input: GenerateImageInput, reason: string): GeneratedImage {
  const svg = renderFallbackSvg({ name: input.name, feature: input.feature, gender: input.gender });
  return { source: 'fallback', image: svgDataUri(svg), url: null, reason };
}
