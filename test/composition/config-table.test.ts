import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { renderConfigTable, TABLE_END, TABLE_START, tableSection, withTable } from '../../composition/config/config-table.js';
import { ENV_NAMES, VARIABLES } from '../../composition/config/variables.js';

const DOC = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('the configuration table', () => {
  it('is in docs/configuration.md exactly as the variable records render it (else run npm run docs:config)', () => {
    expect(tableSection(DOC)).to.equal(renderConfigTable());
  });

  it("has one row per variable, in the records' order", () => {
    const names = renderConfigTable()
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ')[0].replace(/^\| /, ''));
    expect(names).to.deep.equal(ENV_NAMES);
  });

  it('gives every variable a one-line description', () => {
    for (const name of ENV_NAMES) expect(VARIABLES[name].description, name).to.match(/^[^\n]+$/);
  });

  it('is written between the markers, leaving the rest of the document as it was', () => {
    const readme = `intro\n${TABLE_START}\nold table\n${TABLE_END}\noutro\n`;
    const written = withTable(readme, '| new |');
    expect(written).to.equal(`intro\n${TABLE_START}\n| new |\n${TABLE_END}\noutro\n`);
    expect(tableSection(written)).to.equal('| new |');
    expect(withTable(written, '| new |')).to.equal(written);
    expect(() => withTable('no markers', '| new |')).to.throw(/npm run docs:config/);
  });
});
