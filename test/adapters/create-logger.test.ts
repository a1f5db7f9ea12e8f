import { expect } from 'chai';
import { loadConfig } from '../../composition/config.js';
import { captureLogs } from '../support/capture-logs.js';

describe('createLogger', () => {
  it('redacts cookies, authorization headers and tokens', () => {
    const { logger, text } = captureLogs();
    logger.info(
      {
        headers: { cookie: 'sid=SESSION-ID', authorization: 'Bearer ACCESS-1', 'set-cookie': ['sid=SESSION-ID2'] },
        access_token: 'ACCESS-2',
        body: { refresh_token: 'REFRESH-1', code: 'CODE-1', client_secret: 'SECRET-1', state: 'STATE-1' },
        nickname: '닉네임',
      },
      'outbound',
    );
    const out = text();
    for (const secret of ['SESSION-ID', 'ACCESS-1', 'ACCESS-2', 'REFRESH-1', 'CODE-1', 'SECRET-1', 'STATE-1']) {
      expect(out).to.not.include(secret);
    }
    expect(out).to.include('[redacted]').and.include('닉네임');
  });

  it('redacts the S3 credentials, whether the config, its credentials or the secret alone is logged', () => {
    const { logger, text } = captureLogs();
    const { s3 } = loadConfig({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'KEY-ID-1', S3_SECRET_ACCESS_KEY: 'S3-SECRET-1' });
    logger.info({ s3 }, 'media store');
    logger.info({ credentials: s3!.credentials }, 'media store');
    logger.info({ secretAccessKey: s3!.credentials!.secretAccessKey }, 'media store');
    const out = text();
    expect(out).to.not.include('S3-SECRET-1').and.not.include('KEY-ID-1');
    expect(out).to.include('[redacted]').and.include('"bucket":"b"');
  });

  it('redacts an OAuth code by path, and keeps error codes readable', () => {
    const { logger, entries } = captureLogs();
    logger.info({ provider: 'kakao', code: 'state_mismatch' }, 'sign-in failed');
    logger.info({ request: { query: { code: 'CODE-2' } }, form: { code: 'CODE-3' } }, 'outbound');
    const [failure, outbound] = entries();
    expect(failure.code).to.equal('state_mismatch');
    expect(JSON.stringify(outbound)).to.not.include('CODE-2').and.not.include('CODE-3');
  });

  it('writes only name, message, code and stack of an error (got errors carry URLs and headers)', () => {
    const { logger, text } = captureLogs();
    const error = Object.assign(new Error('Response code 400'), {
      code: 'ERR_NON_2XX_3XX_RESPONSE',
      options: { url: 'https://graph.example/me?access_token=LEAKED', headers: { authorization: 'Bearer LEAKED' } },
      response: { body: 'LEAKED' },
    });
    logger.error({ err: error }, 'failed');
    const out = JSON.parse(text());
    expect(out.err).to.include({ message: 'Response code 400', errorCode: 'ERR_NON_2XX_3XX_RESPONSE' });
    expect(JSON.stringify(out)).to.not.include('LEAKED');
  });

  it('withholds database error messages, which quote SQL values', () => {
    const { logger, text } = captureLogs();
    const error = Object.assign(new Error("insert into ss_session (id) values ('SESSION-SECRET') - Duplicate entry 'SESSION-SECRET'"), {
      name: 'UniqueConstraintViolationException',
      code: 'ER_DUP_ENTRY',
      sqlState: '23000',
    });
    logger.error({ err: error }, 'failed');
    const out = text();
    expect(out).to.not.include('SESSION-SECRET');
    expect(JSON.parse(out).err).to.include({ name: 'UniqueConstraintViolationException', errorCode: 'ER_DUP_ENTRY' });
  });
});
