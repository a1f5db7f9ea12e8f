import { randomInt } from 'node:crypto';
import {
  PublishFailure,
  type ContainerStatus,
  type ImageContainerInput,
  type InstagramPublisher,
  type PublishingQuota,
  type PublishingToken,
} from '../../core/publishing/index.js';
import type { Clock } from '../../core/shared/index.js';

/** Meta's documented limit: 100 posts per account in a rolling 24 hours. */
const QUOTA_TOTAL = 100;
const WINDOW_SECONDS = 86_400;

interface Container {
  igUserId: string;
  status: ContainerStatus;
  carouselItem: boolean;
  story: boolean;
}

/**
 * MOCK_PROVIDERS=1: Instagram publishing without Meta, so the whole flow runs on a laptop. Containers
 * answer IN_PROGRESS once, then FINISHED; publish gives a media id and an instagram.com-shaped
 * permalink (which leads nowhere; a story's is a stories/ one); the quota counts this instance's posts.
 * Only the Page tokens that FakeMetaGraph and the Instagram user tokens that FakeInstagramLogin handed
 * out work, each on its own Graph: any other (e.g. after a restart) answers code 190, as an expired one
 * would.
 */
export class FakeInstagramPublisher implements InstagramPublisher {
  private readonly containers = new Map<string, Container>();
  private readonly media = new Map<string, { igUserId: string; permalink: string; at: number }>();

  constructor(
    /** The account a token handed out by the fake Facebook or Instagram Login publishes to; null for any other. */
    private readonly igUserOfToken: (token: PublishingToken) => string | null,
    private readonly clock: Clock,
  ) {}

  async createImageContainer(token: PublishingToken, igUserId: string, image: ImageContainerInput): Promise<string> {
    return this.container(token, igUserId, false, image.kind === 'story');
  }

  async createCarouselItem(token: PublishingToken, igUserId: string, _image: ImageContainerInput): Promise<string> {
    return this.container(token, igUserId, true);
  }

  async createCarouselContainer(token: PublishingToken, igUserId: string, children: string[], _caption: string): Promise<string> {
    this.authorize(token, igUserId);
    const valid = children.every((id) => this.containers.get(id)?.carouselItem && this.containers.get(id)?.igUserId === igUserId);
    if (children.length < 2 || children.length > 10 || !valid)
      throw new PublishFailure('permanent', 'A carousel takes 2 to 10 images.', 100);
    return this.container(token, igUserId, false);
  }

  async containerStatus(token: PublishingToken, containerId: string): Promise<ContainerStatus> {
    const container = this.owned(token, this.containers.get(containerId));
    const status = container.status;
    if (status === 'IN_PROGRESS') container.status = 'FINISHED';
    return status;
  }

  async publish(token: PublishingToken, igUserId: string, containerId: string): Promise<string> {
    const container = this.owned(token, this.containers.get(containerId));
    if (container.igUserId !== igUserId || container.carouselItem)
      throw new PublishFailure('permanent', 'Invalid parameter: creation_id', 100);
    if (container.status === 'PUBLISHED') throw new PublishFailure('permanent', 'This media has already been published.', 100, 2207008);
    if (container.status !== 'FINISHED') throw new PublishFailure('transient', 'Media ID is not available', 9007, 2207027);
    if (this.used(igUserId) >= QUOTA_TOTAL) {
      throw new PublishFailure(
        'permanent',
        'You reached maximum number of posts that is allowed to be published by Content Publish API.',
        9,
        2207042,
      );
    }
    container.status = 'PUBLISHED';
    const id = graphId();
    const permalink = container.story
      ? `https://www.instagram.com/stories/mock_${igUserId}/${id}/`
      : `https://www.instagram.com/p/mock${id}/`;
    this.media.set(id, { igUserId, permalink, at: this.clock.now().getTime() });
    return id;
  }

  async permalink(token: PublishingToken, mediaId: string): Promise<string> {
    return this.owned(token, this.media.get(mediaId)).permalink;
  }

  async publishingQuota(token: PublishingToken, igUserId: string): Promise<PublishingQuota> {
    this.authorize(token, igUserId);
    return { used: this.used(igUserId), total: QUOTA_TOTAL, windowSeconds: WINDOW_SECONDS };
  }

  async checkAccount(token: PublishingToken, igUserId: string): Promise<string> {
    this.authorize(token, igUserId);
    return `mock_${igUserId}`;
  }

  private container(token: PublishingToken, igUserId: string, carouselItem: boolean, story = false): string {
    this.authorize(token, igUserId);
    const id = graphId();
    this.containers.set(id, { igUserId, status: 'IN_PROGRESS', carouselItem, story });
    return id;
  }

  private authorize(token: PublishingToken, igUserId: string): void {
    const owner = this.igUserOfToken(token);
    if (owner === null) throw new PublishFailure('token_expired', 'Error validating access token: Session has expired.', 190, 463);
    if (owner !== igUserId) throw notFound();
  }

  private owned<T extends { igUserId: string }>(token: PublishingToken, object: T | undefined): T {
    if (!object) throw notFound();
    this.authorize(token, object.igUserId);
    return object;
  }

  private used(igUserId: string): number {
    const since = this.clock.now().getTime() - WINDOW_SECONDS * 1000;
    return [...this.media.values()].filter((media) => media.igUserId === igUserId && media.at > since).length;
  }
}

function notFound(): PublishFailure {
  return new PublishFailure(
    'permanent',
    'Unsupported request: the object does not exist or cannot be loaded due to missing permissions.',
    100,
    33,
  );
}

function graphId(): string {
  return `179${String(randomInt(0, 2 ** 47)).padStart(15, '0')}`;
}
