import { expect } from 'chai';
import { graphFailure } from '../../adapters/meta/graph-failure.js';

const answer = (error: Record<string, unknown>) => ({ error: { message: 'Meta said so', ...error } });

describe('graphFailure: Meta’s numeric codes classified for core', () => {
  it('code 190 is token_expired, whatever the status', () => {
    expect(graphFailure(400, answer({ code: 190, error_subcode: 463 }), false)).to.include({
      kind: 'token_expired',
      metaCode: 190,
      metaSubcode: 463,
    });
    expect(graphFailure(500, answer({ code: 190 }), true).kind).to.equal('token_expired');
  });

  it('busy, throttled or briefly down is transient: codes 1, 2, 4, 17, 32, 341, 613, 80002, 9007, is_transient, a 5xx', () => {
    for (const code of [1, 2, 4, 17, 32, 341, 613, 80002, 9007])
      expect(graphFailure(400, answer({ code }), false).kind, `${code}`).to.equal('transient');
    expect(graphFailure(400, answer({ code: 100, is_transient: true }), false).kind).to.equal('transient');
    expect(graphFailure(503, null, false).kind).to.equal('transient');
  });

  it('a 5xx on media_publish is an unknown outcome (it may have gone through)', () => {
    expect(graphFailure(502, null, true)).to.include({ kind: 'unknown_outcome', message: 'Meta answered HTTP 502.' });
  });

  it('an image Meta downloaded and refused is rejected_media: codes 9004, 36000, 36001, 36003', () => {
    for (const code of [9004, 36000, 36001, 36003]) {
      expect(graphFailure(400, answer({ code, error_subcode: 2207083 }), false), `${code}`).to.include({
        kind: 'rejected_media',
        metaCode: code,
      });
    }
    expect(graphFailure(400, answer({ code: 9004 }), false).kind).to.equal('rejected_media');
  });

  it('an image Meta could not download (9004, subcode 2207052) is transient: our media host was likely out of reach', () => {
    expect(graphFailure(400, answer({ code: 9004, error_subcode: 2207052 }), false)).to.include({
      kind: 'transient',
      metaCode: 9004,
      metaSubcode: 2207052,
    });
    expect(graphFailure(400, answer({ code: 36001, error_subcode: 2207052 }), false).kind).to.equal('rejected_media');
  });

  it('any other refusal is permanent, with Meta’s words for people when it gives them', () => {
    expect(graphFailure(400, answer({ code: 10, error_user_msg: ' No permission. ' }), false)).to.include({
      kind: 'permanent',
      metaCode: 10,
      message: 'No permission.',
    });
    expect(graphFailure(400, answer({ code: 100 }), true)).to.include({ kind: 'permanent', message: 'Meta said so' });
  });
});
