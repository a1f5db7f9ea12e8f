/** `npm run docs:config`: writes the configuration table rendered from composition/config/variables.ts into docs/configuration.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, withTable } from '../composition/config/config-table.js';

const path = new URL('../docs/configuration.md', import.meta.url);
const doc = readFileSync(path, 'utf8');
const updated = withTable(doc, renderConfigTable());
if (updated === doc) {
  console.log('docs/configuration.md: the configuration table is up to date');
} else {
  writeFileSync(path, updated);
  console.log('docs/configuration.md: the configuration table was rewritten from composition/config/variables.ts');
}
