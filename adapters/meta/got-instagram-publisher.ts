import type { Response } from 'got';
import type { Logger } from 'pino';
import {
  PublishFailure,
  type ContainerStatus,
  type ImageContainerInput,
  type InstagramPublisher,
  type PublishingQuota,
  type PublishingToken,
} from '../../core/publishing/index.js';
import { ProviderClient, describeFailure, isSuccess, logField, parseJsonObject, record } from '../outbound/create-http-client.js';
import { appsecretProof } from './appsecret-proof.js';
import { graphFailure } from './graph-failure.js';

export interface InstagramPublisherConfig {
  appSecret: string | null;
  /** With the version and without a trailing slash, e.g. https://graph.facebook.com/v25.0. */
  graphBaseUrl: string;
  /** The Instagram Graph with the version, without a trailing slash, e.g. https://graph.instagram.com/v25.0 (Instagram Login links). */
  instagramGraphBaseUrl: string;
}

const STATUSES: readonly ContainerStatus[] = ['IN_PROGRESS', 'FINISHED', 'ERROR', 'EXPIRED', 'PUBLISHED'];
/** Graph object ids are decimal: anything else is refused before it becomes part of a URL path. */
const GRAPH_ID = /^[0-9]{1,32}$/;

/**
 * Instagram content publishing, on the Graph the token's link goes through: the Facebook Graph with a Page
 * access token and its appsecret_proof (Facebook Login), or the Instagram Graph with the account's Instagram
 * user token (Instagram Login); the calls and answers are the same. The token (and proof) go as query
 * parameters (as in GotMetaGraph), the call's own fields as a form body.
 * URLs are secret and never logged; log lines carry step, status, Graph code/subcode, fbtrace_id only.
 * Each call is made once: retrying is the worker's decision, made with the failure's kind.
 */
export class GotInstagramPublisher extends ProviderClient<InstagramPublisherConfig> implements InstagramPublisher {
  constructor(config: InstagramPublisherConfig, logger: Logger, timeoutMs = 30_000) {
    super(config, logger, timeoutMs);
  }

  createImageContainer(token: PublishingToken, igUserId: string, image: ImageContainerInput): Promise<string> {
    return this.createContainer(token, igUserId, imageFields(image));
  }

  createCarouselItem(token: PublishingToken, igUserId: string, image: ImageContainerInput): Promise<string> {
    return this.createContainer(token, igUserId, { ...imageFields({ ...image, caption: undefined }), is_carousel_item: 'true' });
  }

  async createCarouselContainer(token: PublishingToken, igUserId: string, children: string[], caption: string): Promise<string> {
    if (children.length < 2 || children.length > 10 || !children.every((id) => GRAPH_ID.test(id))) {
      throw new PublishFailure('permanent', 'A carousel takes 2 to 10 finished images.');
    }
    return this.createContainer(token, igUserId, { media_type: 'CAROUSEL', children: children.join(','), caption });
  }

  async containerStatus(token: PublishingToken, containerId: string): Promise<ContainerStatus> {
    const body = await this.call('status', 'GET', `/${graphId(containerId)}`, token, { fields: 'status_code' });
    const status = STATUSES.find((candidate) => candidate === body.status_code);
    if (!status) throw this.malformed('status', 'no status_code');
    return status;
  }

  async publish(token: PublishingToken, igUserId: string, containerId: string): Promise<string> {
    const body = await this.call('publish', 'POST', `/${graphId(igUserId)}/media_publish`, token, { creation_id: graphId(containerId) });
    return this.idOf('publish', body);
  }

  async permalink(token: PublishingToken, mediaId: string): Promise<string> {
    const body = await this.call('permalink', 'GET', `/${graphId(mediaId)}`, token, { fields: 'permalink' });
    const permalink = body.permalink;
    if (typeof permalink !== 'string' || !URL.canParse(permalink) || !permalink.startsWith('https://')) {
      throw this.malformed('permalink', 'no https permalink');
    }
    return permalink;
  }

  async publishingQuota(token: PublishingToken, igUserId: string): Promise<PublishingQuota> {
    const path = `/${graphId(igUserId)}/content_publishing_limit`;
    const body = await this.call('quota', 'GET', path, token, { fields: 'quota_usage,config' });
    const entry = record(Array.isArray(body.data) ? body.data[0] : undefined);
    const config = record(entry.config);
    const [used, total, windowSeconds] = [entry.quota_usage, config.quota_total, config.quota_duration];
    if (!isCount(used) || !isCount(total) || !isCount(windowSeconds)) throw this.malformed('quota', 'no quota_usage/config');
    return { used, total, windowSeconds };
  }

  async checkAccount(token: PublishingToken, igUserId: string): Promise<string> {
    const body = await this.call('account', 'GET', `/${graphId(igUserId)}`, token, { fields: 'username' });
    if (typeof body.username !== 'string') throw this.malformed('account', 'no username');
    return body.username;
  }

  private async createContainer(token: PublishingToken, igUserId: string, fields: Record<string, string>): Promise<string> {
    return this.idOf('container', await this.call('container', 'POST', `/${graphId(igUserId)}/media`, token, fields));
  }

  /** One call → the JSON object of a 2xx, or a PublishFailure of the right kind. */
  private async call(
    step: string,
    method: 'GET' | 'POST',
    path: string,
    token: PublishingToken,
    fields: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const instagram = token.login === 'instagram';
    const url = new URL(`${instagram ? this.config.instagramGraphBaseUrl : this.config.graphBaseUrl}${path}`);
    if (method === 'GET') for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    url.searchParams.set('access_token', token.value);
    if (!instagram) url.searchParams.set('appsecret_proof', appsecretProof(this.config.appSecret ?? '', token.value));
    let response: Response<string>;
    try {
      response = method === 'GET' ? await this.http.get(url.href) : await this.http.post(url.href, { form: fields });
    } catch (error) {
      this.logger.warn({ provider: 'meta', step, failure: describeFailure(error) }, 'Meta did not answer');
      // A publish that got no answer may have gone live all the same.
      throw new PublishFailure(step === 'publish' ? 'unknown_outcome' : 'transient', 'Meta did not answer.');
    }
    const body = parseJsonObject(response.body);
    if (isSuccess(response.statusCode) && body?.error === undefined) {
      if (!body) throw this.malformed(step, 'not a JSON object');
      return body;
    }
    const failure = graphFailure(response.statusCode, body, step === 'publish');
    const error = record(body?.error);
    this.logger.warn(
      {
        provider: 'meta',
        step,
        status: response.statusCode,
        kind: failure.kind,
        graphCode: logField(error.code),
        graphSubcode: logField(error.error_subcode),
        fbtraceId: logField(error.fbtrace_id),
      },
      'Meta refused a publishing call',
    );
    throw failure;
  }

  private idOf(step: string, body: Record<string, unknown>): string {
    if (typeof body.id !== 'string' || !GRAPH_ID.test(body.id)) throw this.malformed(step, 'no id');
    return body.id;
  }

  /** A 2xx without what Meta documents: transient (a glitch), except for publish, whose outcome is then unknown. */
  private malformed(step: string, reason: string): PublishFailure {
    this.logger.warn({ provider: 'meta', step, reason }, 'Meta answered without the expected fields');
    return new PublishFailure(step === 'publish' ? 'unknown_outcome' : 'transient', 'Meta answered without the expected fields.');
  }
}

/** A story's container is `media_type=STORIES` and its image, nothing else (Meta takes no caption or alt text on one). */
function imageFields({ imageUrl, caption, altText, kind }: ImageContainerInput): Record<string, string> {
  if (kind === 'story') return { media_type: 'STORIES', image_url: imageUrl };
  return {
    image_url: imageUrl,
    ...(caption === undefined ? {} : { caption }),
    ...(altText === undefined || altText === '' ? {} : { alt_text: altText }),
  };
}

function graphId(id: string): string {
  if (!GRAPH_ID.test(id)) throw new PublishFailure('permanent', 'Not a Graph object id.');
  return id;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
