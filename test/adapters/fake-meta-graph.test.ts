import { expect } from 'chai';
import { FakeMetaGraph } from '../../adapters/mock-providers/fake-meta-graph.js';
import { rejection } from '../support/rejection.js';

const CALLBACK = 'http://localhost:3000/oauth/instagram/callback';
const SCOPES = ['pages_show_list', 'instagram_basic'];

describe('FakeMetaGraph (MOCK_PROVIDERS)', () => {
  /** Where the "dialog" sends the browser: straight to our callback with a code and the state. */
  const land = (graph: FakeMetaGraph, state: string) => {
    const url = new URL(graph.dialogUrl(state));
    expect(url.origin + url.pathname).to.equal(CALLBACK);
    expect(url.searchParams.get('state')).to.equal(state);
    return url.searchParams.get('code')!;
  };

  it('runs the whole flow: dialog → code → short → long → two IG accounts', async () => {
    const graph = new FakeMetaGraph(CALLBACK, SCOPES);
    expect(graph.configured).to.equal(true);
    const code = land(graph, 'st&ate=/+한');
    expect(graph.dialogUrl('a b')).to.include('state=a%20b');

    const short = await graph.exchangeCode(code);
    expect(short.accessToken).to.match(/^mock-short-/);
    const long = await graph.exchangeForLongLived(short.accessToken);
    expect(long).to.deep.include({ expiresInSeconds: 5184000 });
    expect(long.accessToken).to.match(/^mock-long-/);

    expect(await graph.permissions(long.accessToken)).to.deep.equal(SCOPES.map((name) => ({ name, status: 'granted' })));
    expect(await graph.userId(long.accessToken)).to.match(/^[0-9]+$/);
    const accounts = await graph.listAccounts(long.accessToken);
    expect(accounts.map(({ pageAccessToken: _, ...account }) => account)).to.deep.equal([
      { pageId: '100000000000001', pageName: 'SelfStar Demo', igUserId: '17841400000000001', igUsername: 'selfstar.demo' },
      { pageId: '100000000000002', pageName: '셀프스타 데모', igUserId: '17841400000000002', igUsername: '셀프스타_데모' },
    ]);
    expect(accounts.map((account) => graph.igUserOfPageToken(account.pageAccessToken!))).to.deep.equal([
      '17841400000000001',
      '17841400000000002',
    ]);
  });

  it('a code is single use and only good if this instance issued it', async () => {
    const graph = new FakeMetaGraph(CALLBACK, SCOPES);
    const code = land(graph, 's');
    await graph.exchangeCode(code);
    expect(await rejection(graph.exchangeCode(code))).to.include({ kind: 'upstream', code: 'upstream_unavailable' });
    expect((await rejection(graph.exchangeCode('made-up'))).code).to.equal('upstream_unavailable');
    const other = new FakeMetaGraph(CALLBACK, SCOPES);
    expect((await rejection(other.exchangeCode(land(graph, 's')))).code).to.equal('upstream_unavailable');
  });

  it('an unknown token is persona_oauth_expired, also a short token where a long one is needed', async () => {
    const graph = new FakeMetaGraph(CALLBACK, SCOPES);
    const short = await graph.exchangeCode(land(graph, 's'));
    expect(await rejection(graph.listAccounts('mock-long-forged'))).to.include({ kind: 'unauthenticated', code: 'persona_oauth_expired' });
    const calls = [(t: string) => graph.listAccounts(t), (t: string) => graph.userId(t), (t: string) => graph.permissions(t)];
    for (const call of calls) expect((await rejection(call(short.accessToken))).code).to.equal('persona_oauth_expired');
    expect((await rejection(graph.exchangeForLongLived('mock-short-forged'))).code).to.equal('persona_oauth_expired');
    const long = await graph.exchangeForLongLived(short.accessToken);
    expect((await rejection(new FakeMetaGraph(CALLBACK, SCOPES).listAccounts(long.accessToken))).code).to.equal('persona_oauth_expired');
  });

  it('appends to a callback URL that already has a query', () => {
    const url = new URL(new FakeMetaGraph(`${CALLBACK}?x=1`, SCOPES).dialogUrl('s'));
    expect(url.searchParams.get('x')).to.equal('1');
    expect(url.searchParams.get('state')).to.equal('s');
  });
});
