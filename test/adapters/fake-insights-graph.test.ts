import { expect } from 'chai';
import { FakeInsightsGraph } from '../../adapters/mock-providers/fake-insights-graph.js';
import { InsightsFailure } from '../../core/insights/index.js';
import { rejectionOf } from '../support/rejection.js';

describe('FakeInsightsGraph (MOCK_PROVIDERS=1)', () => {
  const graph = new FakeInsightsGraph((token) => (token.value === 'PAGE' ? '17841400000000001' : null));
  const token = { value: 'PAGE', login: 'facebook' } as const;

  it('answers fixed numbers per media and per day, every metric a count', async () => {
    const first = await graph.mediaInsights(token, '17900000000000001');
    expect(await graph.mediaInsights(token, '17900000000000001')).to.deep.equal(first);
    expect(await graph.mediaInsights(token, '17900000000000002')).to.not.deep.equal(first);
    expect(Object.values(first).every((value) => Number.isInteger(value) && value! >= 0)).to.equal(true);
    const day = await graph.accountDay(token, '17841400000000001', '2030-05-16');
    expect(await graph.accountDay(token, '17841400000000001', '2030-05-16')).to.deep.equal(day);
    expect((await graph.accountDay(token, '17841400000000001', '2030-05-17')).follower_count).to.equal(day.follower_count! + 1);
    expect(await graph.accountCounts(token, '17841400000000001')).to.have.keys('followersCount', 'mediaCount');
  });

  it('refuses a token it did not hand out (190) and another account (not found)', async () => {
    const expired = await rejectionOf(graph.mediaInsights({ value: 'OLD', login: 'facebook' }, '1'), InsightsFailure);
    expect(expired).to.include({ kind: 'token_expired', metaCode: 190 });
    expect(await rejectionOf(graph.accountCounts(token, '17841400000000002'), InsightsFailure)).to.include({ kind: 'not_found' });
  });
});
