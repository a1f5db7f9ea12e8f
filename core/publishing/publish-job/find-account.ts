import { hasErrorCode } from '../../shared/index.js';
import { postError } from '../post.js';
import type { PublishingToken } from '../ports/instagram-publisher.js';
import { PostFailed, type PublishRun } from './context.js';
import type { PublishStep } from './phases.js';

/** The persona's Instagram account and the token it publishes with; PostFailed when it cannot publish. */
export async function findAccount(
  { deps, post }: PublishRun,
  { unconfirmed }: Extract<PublishStep, { step: 'account' }>,
): Promise<PublishStep> {
  const persona = await deps.personas.findOwned(post.userId, { id: post.personaId });
  if (!persona?.instagram) throw new PostFailed(postError('persona_not_linked'));
  let token: PublishingToken;
  try {
    token = await deps.pageTokens.publishingToken(persona, persona.instagram);
  } catch (error) {
    if (hasErrorCode(error, 'persona_oauth_expired')) {
      await deps.tokens.markNeedsReconnect(persona.userId, persona.num);
      throw new PostFailed(postError('persona_oauth_expired'));
    }
    if (hasErrorCode(error, 'persona_oauth_required')) throw new PostFailed(postError('persona_oauth_required'));
    throw error;
  }
  const account = { persona, token, igUserId: persona.instagram.igUserId };
  if (post.containerId === null) return { step: 'containers', account };
  return { step: 'status', account, containerId: post.containerId, unconfirmed };
}
