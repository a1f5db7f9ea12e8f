import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { CannedAnswer, RecordedRequest } from './fake-http-server.js';

/** Instagram's limits for a feed image, as the fake enforces them; a story's image must be 9:16. */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const MIN_RATIO = 4 / 5;
const MAX_RATIO = 1.91;
const STORY_RATIO = 9 / 16;
const DOWNLOAD_TIMEOUT_MS = 5_000;

/** A publishing call a test can make fail: the next calls of that step answer the queued answers, in order. */
export type PublishingStep = 'container' | 'status' | 'publish' | 'permalink' | 'quota' | 'account';

export interface FakeContainer {
  id: string;
  igUserId: string;
  status: 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';
  /** Status reads so far. */
  polls: number;
  imageUrl?: string;
  /** The bytes downloaded from imageUrl when the container was made. */
  image?: Buffer;
  caption?: string;
  altText?: string;
  carouselItem: boolean;
  /** A story's container (`media_type=STORIES`). */
  story: boolean;
  children: string[];
  /** Where it goes after IN_PROGRESS, when not FINISHED. */
  ends?: 'ERROR' | 'EXPIRED';
}

/** A post that went live. */
export interface FakePublishedMedia {
  id: string;
  igUserId: string;
  containerId: string;
  permalink: string;
  /** Published as a story. */
  story: boolean;
}

export interface FakeMetaPublishing {
  /** Status reads a container answers IN_PROGRESS before it is FINISHED (default 2). */
  pollsUntilFinished: number;
  containers: Map<string, FakeContainer>;
  published: FakePublishedMedia[];
  /** content_publishing_limit's config (default 100 posts in 86,400 s, as Meta documents). */
  quotaTotal: number;
  quotaWindowSeconds: number;
  /** When set, the quota usage every account reports (else: posts published through the fake). */
  quotaUsage?: number;
  /** Queued answers per step, each taken once (transient errors, 190 …). */
  failures: Partial<Record<PublishingStep, CannedAnswer[]>>;
  /** The next container made ends in this state instead of FINISHED (Meta could not process it, or it waited too long). */
  nextContainerEnds?: 'ERROR' | 'EXPIRED';
  /** The next media_publish publishes, but its answer is lost: never sent (the client times out) or the connection reset. */
  loseNextPublishAnswer?: 'hang' | 'reset';
}

/** What the publishing calls need of the rest of the fake. */
export interface PublishingContext {
  /** The Instagram account a Page token may act for, or Meta's refusal (unknown token, no proof, expired …). */
  authorizePage(request: RecordedRequest): { igUserId: string; igUsername: string; scopes: string[] } | CannedAnswer;
  graphError(code: number, message: string, subcode?: number, type?: string): CannedAnswer;
  /** The permissions that allow reading the account and publishing (default Facebook Login's; Instagram Login's are `instagram_business_*`). */
  permissions?: { basic: string; publish: string };
}

export function newPublishing(): FakeMetaPublishing {
  return { pollsUntilFinished: 2, containers: new Map(), published: [], quotaTotal: 100, quotaWindowSeconds: 86_400, failures: {} };
}

/** A Graph error as Meta answers it (both Graphs alike): status 400, `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
export function graphError(code: number, message: string, subcode?: number, type = 'OAuthException'): CannedAnswer {
  return {
    status: 400,
    body: {
      error: {
        message,
        type,
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

/** An error Meta marks as transient (code 2, "Service temporarily unavailable"), as a test injects it. */
export function transientGraphError(status = 500): CannedAnswer {
  return {
    status,
    body: {
      error: {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        code: 2,
        is_transient: true,
        fbtrace_id: 'AtransientTrace',
      },
    },
  };
}

/**
 * The content-publishing calls of the Graph API: containers that finish after a few status reads
 * (carousel items, the CAROUSEL container and STORIES included), media_publish, permalinks, the publishing
 * limit and the account's username (the daily token check). `image_url` is really downloaded, and what Instagram refuses is refused with Meta's codes.
 */
export async function routePublishing(
  state: FakeMetaPublishing,
  context: PublishingContext,
  request: RecordedRequest,
  path: string,
): Promise<CannedAnswer | null> {
  const match = /^\/([0-9]+)(\/media|\/media_publish|\/content_publishing_limit)?$/.exec(path);
  if (!match) return null;
  const [, id, edge] = match;
  const step = stepOf(request.method, edge, request.query.fields);
  if (!step) return null;
  const authorized = context.authorizePage(request);
  if ('status' in authorized) return authorized;
  const canned = state.failures[step]?.shift();
  if (canned) return canned;
  const permissions = context.permissions ?? { basic: 'instagram_basic', publish: 'instagram_content_publish' };
  if (!authorized.scopes.includes(step === 'account' ? permissions.basic : permissions.publish)) {
    return context.graphError(10, 'Application does not have permission for this action', undefined, 'OAuthException');
  }
  const fields = { ...request.query, ...request.form };
  const ownedBy = (igUserId: string) =>
    igUserId === authorized.igUserId
      ? null
      : context.graphError(
          100,
          `Unsupported request - Object with ID '${id}' does not exist or cannot be loaded due to missing permissions`,
          33,
          'GraphMethodException',
        );
  switch (step) {
    case 'container':
      return ownedBy(id) ?? (await createContainer(state, context, id, fields));
    case 'publish':
      return ownedBy(id) ?? publish(state, context, id, fields.creation_id ?? '');
    case 'quota':
      return (
        ownedBy(id) ?? {
          status: 200,
          body: {
            data: [
              { quota_usage: quotaUsage(state, id), config: { quota_total: state.quotaTotal, quota_duration: state.quotaWindowSeconds } },
            ],
          },
        }
      );
    case 'status': {
      const container = state.containers.get(id);
      return ownedBy(container?.igUserId ?? '') ?? { status: 200, body: { status_code: readStatus(state, container!), id } };
    }
    case 'account':
      return ownedBy(id) ?? { status: 200, body: { username: authorized.igUsername, id } };
    case 'permalink': {
      const media = state.published.find((candidate) => candidate.id === id);
      return ownedBy(media?.igUserId ?? '') ?? { status: 200, body: { permalink: media!.permalink, id } };
    }
  }
}

function stepOf(method: string, edge: string | undefined, fields: string | undefined): PublishingStep | null {
  if (method === 'POST' && edge === '/media') return 'container';
  if (method === 'POST' && edge === '/media_publish') return 'publish';
  if (method === 'GET' && edge === '/content_publishing_limit') return 'quota';
  if (method === 'GET' && edge === undefined) return fields === 'permalink' ? 'permalink' : fields === 'username' ? 'account' : 'status';
  return null;
}

function readStatus(state: FakeMetaPublishing, container: FakeContainer): FakeContainer['status'] {
  container.polls++;
  if (container.status === 'IN_PROGRESS' && container.polls >= state.pollsUntilFinished) container.status = container.ends ?? 'FINISHED';
  return container.status;
}

async function createContainer(
  state: FakeMetaPublishing,
  context: PublishingContext,
  igUserId: string,
  fields: Record<string, string>,
): Promise<CannedAnswer> {
  const base = {
    id: graphId(),
    igUserId,
    status: 'IN_PROGRESS' as const,
    polls: 0,
    carouselItem: false,
    story: false,
    children: [] as string[],
  };
  let container: FakeContainer;
  if (fields.media_type !== undefined && fields.media_type !== 'CAROUSEL' && fields.media_type !== 'STORIES') {
    return context.graphError(100, 'Param media_type must be one of {CAROUSEL, REELS, STORIES}', undefined, 'OAuthException');
  }
  if (fields.media_type === 'STORIES') {
    // A story is one image and nothing else: no caption, no alt text, never a carousel item.
    const extra = ['caption', 'alt_text', 'is_carousel_item', 'children'].find((name) => fields[name] !== undefined);
    if (extra) return context.graphError(100, `The parameter ${extra} is not supported for stories`, undefined, 'OAuthException');
    if (!fields.image_url) return context.graphError(100, 'The parameter image_url is required', undefined, 'OAuthException');
    const image = await checkImage(fields.image_url, context, 'story');
    if (!Buffer.isBuffer(image)) return image;
    container = { ...base, imageUrl: fields.image_url, image, story: true };
  } else if (fields.media_type === 'CAROUSEL') {
    const children = (fields.children ?? '').split(',').filter(Boolean);
    const valid = children.every((child) => {
      const item = state.containers.get(child);
      return item?.carouselItem && item.igUserId === igUserId && item.status !== 'PUBLISHED';
    });
    if (children.length < 2 || children.length > 10 || !valid) {
      return context.graphError(
        100,
        'The carousel must contain between 2 and 10 carousel items of this account.',
        2207025,
        'OAuthException',
      );
    }
    container = { ...base, caption: fields.caption, children };
  } else {
    if (!fields.image_url) return context.graphError(100, 'The parameter image_url is required', undefined, 'OAuthException');
    const image = await checkImage(fields.image_url, context, 'feed');
    if (!Buffer.isBuffer(image)) return image;
    const carouselItem = fields.is_carousel_item === 'true';
    container = {
      ...base,
      imageUrl: fields.image_url,
      image,
      caption: carouselItem ? undefined : fields.caption,
      altText: fields.alt_text,
      carouselItem,
    };
  }
  container.ends = state.nextContainerEnds;
  state.nextContainerEnds = undefined;
  state.containers.set(container.id, container);
  return { status: 200, body: { id: container.id } };
}

/** Downloads the image as Meta would and refuses it as Instagram does (a story's: 9:16); its bytes when it is fine. */
async function checkImage(imageUrl: string, context: PublishingContext, kind: 'feed' | 'story'): Promise<CannedAnswer | Buffer> {
  const cannotFetch = () =>
    context.graphError(9004, 'Media download has failed. The media URI doesn\u2019t meet our requirements.', 2207052, 'OAuthException');
  let bytes: Buffer;
  try {
    const response = await fetch(imageUrl, { redirect: 'error', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) return cannotFetch();
    bytes = Buffer.from(await response.arrayBuffer());
  } catch {
    return cannotFetch();
  }
  if (bytes.length > MAX_IMAGE_BYTES) {
    return { status: 400, body: imageTooLarge() };
  }
  if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    return context.graphError(36001, 'The image format is not supported. Only JPEG images can be published.', 2207083, 'OAuthException');
  }
  const { width, height } = await sharp(bytes)
    .metadata()
    .catch(() => ({ width: undefined, height: undefined }));
  if (!width || !height) return cannotFetch();
  const ratio = width / height;
  const refused = kind === 'story' ? Math.abs(ratio - STORY_RATIO) > 1e-3 : ratio < MIN_RATIO - 1e-3 || ratio > MAX_RATIO + 1e-3;
  if (refused) {
    return context.graphError(
      36003,
      `The submitted image with aspect ratio ('${width}/${height}') cannot be published. Please submit an image with a valid aspect ratio.`,
      2207009,
      'OAuthException',
    );
  }
  return bytes;
}

/** Meta's own sample answer for subcode 2207004. */
function imageTooLarge(): object {
  return {
    error: {
      message: 'The image size is too large.',
      type: 'OAuthException',
      code: 36000,
      error_subcode: 2207004,
      is_transient: false,
      error_user_title: 'Image size too large',
      error_user_msg: 'The image is too large to download. It should be less than 8 MiB.',
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

function publish(state: FakeMetaPublishing, context: PublishingContext, igUserId: string, creationId: string): CannedAnswer {
  const container = state.containers.get(creationId);
  if (!container || container.igUserId !== igUserId || container.carouselItem) {
    return context.graphError(100, 'Invalid parameter: creation_id', undefined, 'OAuthException');
  }
  if (container.status === 'PUBLISHED') return context.graphError(100, 'This media has already been published.', 2207008, 'OAuthException');
  if (container.status !== 'FINISHED') return context.graphError(9007, 'Media ID is not available', 2207027, 'OAuthException');
  if (quotaUsage(state, igUserId) >= state.quotaTotal) {
    return context.graphError(
      9,
      'You reached maximum number of posts that is allowed to be published by Content Publish API.',
      2207042,
      'OAuthException',
    );
  }
  const id = graphId();
  container.status = 'PUBLISHED';
  state.published.push({
    id,
    igUserId,
    containerId: container.id,
    permalink: container.story
      ? `https://www.instagram.com/stories/${igUserId}/${id}/`
      : `https://www.instagram.com/p/${randomBytes(8).toString('base64url')}/`,
    story: container.story,
  });
  const lost = state.loseNextPublishAnswer;
  state.loseNextPublishAnswer = undefined;
  return { status: 200, body: { id }, ...(lost ? { lost } : {}) };
}

function quotaUsage(state: FakeMetaPublishing, igUserId: string): number {
  return state.quotaUsage ?? state.published.filter((media) => media.igUserId === igUserId).length;
}

/** Graph ids are long decimal numbers. */
function graphId(): string {
  return `179${randomBytes(6).readUIntBE(0, 6).toString().padStart(15, '0')}`;
}
