import { expect } from 'chai';
import { describeFailure, failureCode } from '../../adapters/outbound/create-http-client.js';

describe('outbound: describing a failed request', () => {
  it('gives a bare Node error its name and code, as got errors get theirs', () => {
    const closed = Object.assign(new Error('Socket closed before the connection was established'), {
      code: 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
    });
    expect(failureCode(closed)).to.equal('ERR_SOCKET_CLOSED_BEFORE_CONNECTION');
    expect(describeFailure(closed)).to.equal('Error ERR_SOCKET_CLOSED_BEFORE_CONNECTION');
  });

  it('gives anything else its name or type only, never its message', () => {
    expect(describeFailure(new TypeError('http://127.0.0.1:9/token?code=secret'))).to.equal('TypeError');
    expect(describeFailure(Object.assign(new Error('x'), { code: 42 }))).to.equal('Error');
    expect(describeFailure('boom')).to.equal('string');
    expect(failureCode(undefined)).to.equal(undefined);
  });
});
