/**
 * The configuration table of docs/configuration.md, rendered from the variable records. `npm run docs:config`
 * writes it between the two markers; a test fails when the document's copy differs.
 */
import type { Variable } from './variable.js';
import { ENV_NAMES, VARIABLES } from './variables.js';

export const TABLE_START = '<!-- configuration table: written by `npm run docs:config` from composition/config/variables.ts -->';
export const TABLE_END = '<!-- end of configuration table -->';

export function renderConfigTable(): string {
  const rows = ENV_NAMES.map((name) => {
    const variable: Variable = VARIABLES[name];
    return `| ${name} | ${cell(defaultOf(variable))} | ${variable.secret ? 'yes' : ''} | ${cell(variable.description)} |`;
  });
  return ['| variable | default | secret | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function defaultOf({ default: fallback, unset }: Variable): string {
  if (fallback === '') return 'empty';
  return fallback ?? unset ?? 'unset';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** What stands between the markers (without the newlines next to them); null when a marker is missing. */
export function tableSection(readme: string): string | null {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END, start);
  if (start < 0 || end < 0) return null;
  return readme
    .slice(start + TABLE_START.length, end)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}

/** The document with `table` between the markers. */
export function withTable(doc: string, table: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END, start);
  if (start < 0 || end < 0)
    throw new Error(`docs/configuration.md needs the two lines ${TABLE_START} and ${TABLE_END} (npm run docs:config)`);
  return `${doc.slice(0, start + TABLE_START.length)}\n${table}\n${doc.slice(end)}`;
}
