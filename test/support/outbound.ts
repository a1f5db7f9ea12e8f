import { expect } from 'chai';
import { pkceChallenge, type OAuthProvider } from '../../core/identity/index.js';

/**
 * The browser's trip through a fake provider's consent page: follows `oauth`'s authorization URL for
 * `verifier`, checks it comes back to `redirectUri` with the state, and returns the code it carries.
 */
export async function consentCode(
  oauth: Pick<OAuthProvider, 'authorizationUrl'>,
  verifier: string,
  redirectUri: string,
  state = 'state-1',
): Promise<string> {
  const res = await fetch(oauth.authorizationUrl({ state, codeChallenge: pkceChallenge(verifier) }), { redirect: 'manual' });
  expect(res.status, await res.clone().text()).to.equal(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.origin + back.pathname).to.equal(redirectUri);
  expect(back.searchParams.get('state')).to.equal(state);
  return back.searchParams.get('code')!;
}
