/** `npm run docs:config`: writes the configuration table rendered from composition/config/variables.ts into README.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, withTable } from '../composition/config/readme-table.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const updated = withTable(readme, renderConfigTable());
if (updated === readme) {
  console.log('README.md: the configuration table is up to date');
} else {
  writeFileSync(path, updated);
  console.log('README.md: the configuration table was rewritten from composition/config/variables.ts');
}
