import { expect } from 'chai';
import { requestIdSource } from '../../adapters/http/request-id.js';

describe('requestIdSource', () => {
  it('makes ids that never repeat within a process and differ between processes', () => {
    const next = requestIdSource();
    const ids = Array.from({ length: 10_000 }, next);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{12}-[0-9a-z]+$/.test(id))).to.equal(true);
    const other = requestIdSource()();
    expect(other.split('-').slice(0, -1).join('-')).to.not.equal(ids[0].split('-').slice(0, -1).join('-'));
  });
});
