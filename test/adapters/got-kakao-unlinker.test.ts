import { expect } from 'chai';
import { GotKakaoUnlinker } from '../../adapters/kakao/got-kakao-unlinker.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startFakeKakao, type FakeKakao } from '../support/fake-kakao-server.js';
import { rejection } from '../support/rejection.js';

describe('GotKakaoUnlinker (against a fake Kakao on 127.0.0.1)', () => {
  let kakao: FakeKakao;
  let logs: CapturedLogs;

  beforeEach(async () => {
    kakao = await startFakeKakao({ adminKey: 'ADMIN-KEY-1' });
    logs = captureLogs();
  });
  afterEach(() => kakao.close());

  it('is configured only with an admin key', () => {
    expect(new GotKakaoUnlinker({ adminKey: 'k', apiBaseUrl: kakao.url }, logs.logger).configured).to.equal(true);
    expect(new GotKakaoUnlinker({ adminKey: null, apiBaseUrl: kakao.url }, logs.logger).configured).to.equal(false);
  });

  it('posts the user id as a form with the KakaoAK admin key', async () => {
    await new GotKakaoUnlinker({ adminKey: 'ADMIN-KEY-1', apiBaseUrl: kakao.url }, logs.logger).unlink('1234567890123456789');
    expect(kakao.unlinked).to.deep.equal(['1234567890123456789']);
    expect(kakao.requests).to.have.length(1);
    const [call] = kakao.requests;
    expect(call).to.include({ method: 'POST', path: '/v1/user/unlink' });
    expect(call.headers.authorization).to.equal('KakaoAK ADMIN-KEY-1');
    expect(call.headers['content-type']).to.match(/^application\/x-www-form-urlencoded/);
    expect(call.form).to.deep.equal({ target_id_type: 'user_id', target_id: '1234567890123456789' });
    expect(logs.text()).to.equal('');
  });

  it('a user Kakao says is not linked any more (-101) counts as unlinked: a retried account deletion is not stuck', async () => {
    const unlinker = new GotKakaoUnlinker({ adminKey: 'ADMIN-KEY-1', apiBaseUrl: kakao.url }, logs.logger);
    await unlinker.unlink('42');
    await unlinker.unlink('42');
    expect(kakao.requests).to.have.length(2);
    expect(kakao.unlinked).to.deep.equal(['42']);
    expect(logs.text()).to.equal('');
  });

  it("a wrong admin key is upstream_unavailable, logged with Kakao's code but never the key", async () => {
    const unlinker = new GotKakaoUnlinker({ adminKey: 'WRONG-KEY-2', apiBaseUrl: kakao.url }, logs.logger);
    const error = await rejection(unlinker.unlink('1234567890123456789'));
    expect(error).to.include({ kind: 'upstream', code: 'upstream_unavailable' });
    expect(error.said).to.deep.equal({ key: 'kakao_unlink_unanswered' });
    expect(kakao.unlinked).to.deep.equal([]);
    expect(logs.entries()[0]).to.include({ level: 40, provider: 'kakao', step: 'unlink', status: 401, providerErrorCode: -401 });
    expect(logs.text()).to.not.include('WRONG-KEY-2');
  });

  it('a timeout is upstream_unavailable after a single attempt', async () => {
    kakao.delayMs = 1000;
    const error = await rejection(new GotKakaoUnlinker({ adminKey: 'ADMIN-KEY-1', apiBaseUrl: kakao.url }, logs.logger, 150).unlink('42'));
    expect(error.code).to.equal('upstream_unavailable');
    expect(kakao.requests).to.have.length(1);
    expect(logs.entries()[0]).to.include({ step: 'unlink', failure: 'TimeoutError ETIMEDOUT' });
    expect(logs.text()).to.not.include('ADMIN-KEY-1');
  });

  it('a refused connection is upstream_unavailable', async () => {
    const url = kakao.url;
    await kakao.close();
    const error = await rejection(new GotKakaoUnlinker({ adminKey: 'ADMIN-KEY-1', apiBaseUrl: url }, logs.logger).unlink('42'));
    expect(error.code).to.equal('upstream_unavailable');
    expect(logs.entries()[0]).to.include({ failure: 'RequestError ECONNREFUSED' });
    kakao = await startFakeKakao();
  });

  it('without an admin key it refuses before calling Kakao', async () => {
    const error = await rejection(new GotKakaoUnlinker({ adminKey: null, apiBaseUrl: kakao.url }, logs.logger).unlink('42'));
    expect(error).to.include({ kind: 'unavailable', code: 'kakao_admin_key_missing' });
    expect(kakao.requests).to.deep.equal([]);
  });
});
