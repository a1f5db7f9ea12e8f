import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SECURITY_MD = resolve(ROOT, 'docs', 'security.md');
const SHARED_SECURITY_MD = resolve(ROOT, '..', 'shared', 'spec', 'SECURITY.md');
const README = resolve(ROOT, 'README.md');

/** Its headings and non-empty lines after the title, headings one level down as docs/security.md nests them. */
function rules(securityMd: string): string[] {
  return securityMd
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^## /, '### '));
}

describe('docs', () => {
  it('docs/security.md carries the rules and reasons of ../shared/spec/SECURITY.md, line for line, wherever that is beside the repository', () => {
    const ours = readFileSync(SECURITY_MD, 'utf8');
    const section = ours.slice(ours.indexOf('\n## The rules and their reasons\n'));
    expect(section.length).to.be.greaterThan(3000);
    expect(section).to.include('### Sessions and cookies');
    if (existsSync(SHARED_SECURITY_MD)) {
      const missing = rules(readFileSync(SHARED_SECURITY_MD, 'utf8')).filter((line) => !section.includes(line));
      expect(missing).to.deep.equal([]);
    }
  });

  it('the README stays short: at most 200 lines', () => {
    const lines = readFileSync(README, 'utf8').split('\n').length;
    expect(lines).to.be.within(20, 200);
  });
});
