import type { Response } from 'got';
import type { Logger } from 'pino';
import { DomainError, errors, message } from '../../core/shared/index.js';
import type { MetaToken } from '../../core/instagram/index.js';
import { describeFailure, isSuccess, logField, parseJsonObject, record, type HttpClient } from '../outbound/create-http-client.js';

/**
 * One Graph request (never retried, no redirects, time-limited; Facebook's or Instagram's Graph, which answer
 * alike) → the JSON object of a 2xx, or a DomainError: persona_oauth_expired when the token is refused
 * (code 190), upstream_unavailable for anything else. URLs carry tokens: never logged; log lines carry status,
 * Graph code/subcode and fbtrace_id only.
 */
export async function graphRequest(
  http: HttpClient,
  logger: Logger,
  provider: string,
  step: string,
  send: (http: HttpClient) => Promise<Response<string>>,
): Promise<Record<string, unknown>> {
  let response: Response<string>;
  try {
    response = await send(http);
  } catch (error) {
    logger.warn({ provider, step, failure: describeFailure(error) }, 'Meta did not answer');
    throw metaUnavailable();
  }
  const body = parseJsonObject(response.body);
  const graphError = body?.error === undefined ? undefined : record(body.error);
  if (isSuccess(response.statusCode) && body && !graphError) return body;
  const details = {
    step,
    status: response.statusCode,
    // Instagram's token endpoint answers {error_type, code, error_message} without an `error` object.
    graphCode: logField(graphError?.code ?? body?.code),
    graphSubcode: logField(graphError?.error_subcode),
    fbtraceId: logField(graphError?.fbtrace_id),
  };
  if (graphError?.code === 190) {
    logger.warn({ provider, ...details }, 'Meta says the token is invalid');
    throw errors.personaOauthExpired();
  }
  throw graphFailed(logger, provider, details);
}

/** Logs why, and answers upstream_unavailable. */
export function graphFailed(logger: Logger, provider: string, details: Record<string, string | number | undefined>): DomainError {
  logger.warn({ provider, ...details }, 'Meta request failed');
  return metaUnavailable();
}

export function metaUnavailable(): DomainError {
  return errors.upstreamUnavailable(message('meta_unanswered'));
}

/** A token answer (`access_token`, `expires_in` in seconds when given); null without an access_token. */
export function tokenOf(body: Record<string, unknown>): MetaToken | null {
  if (typeof body.access_token !== 'string' || !body.access_token) return null;
  const expiresIn = body.expires_in;
  return {
    accessToken: body.access_token,
    expiresInSeconds: typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? Math.floor(expiresIn) : null,
  };
}

/** What both Meta sign-ins need to send a browser to their dialog. */
export interface DialogApp {
  appId: string | null;
  appSecret: string | null;
  redirectUri: string | null;
  /** Comma-separated. */
  scopes: string;
}

/** Whether the app can start its sign-in: an id, a secret and a redirect URI. */
export function dialogConfigured(app: DialogApp): boolean {
  return Boolean(app.appId && app.appSecret && app.redirectUri);
}

/** `dialog` (which may carry a query already) with client_id, redirect_uri, scope, response_type=code and `state`; spaces as %20. */
export function dialogUrlOf(dialog: string, app: DialogApp, state: string): string {
  const query = new URLSearchParams({
    client_id: app.appId ?? '',
    redirect_uri: app.redirectUri ?? '',
    scope: app.scopes,
    response_type: 'code',
    state,
  });
  const separator = dialog.includes('?') ? '&' : '?';
  return `${dialog}${separator}${query.toString().replace(/\+/g, '%20')}`;
}
