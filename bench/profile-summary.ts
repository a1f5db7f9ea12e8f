/**
 * Summarises a `node --cpu-prof` file: self time by package (or project folder) and the top functions.
 * Run: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/**
 * dist/server.cjs is an esbuild bundle: a line is credited to the file named by the nearest
 * `// node_modules/…` or `// dist/…` comment above it, which esbuild writes before each module.
 */
const bundleSources = new Map<string, { line: number; path: string }[]>();
function sourceOf(url: string, lineNumber: number): string {
  if (!/\.[cm]js$/.test(url) || !url.startsWith('file://')) return url;
  let starts = bundleSources.get(url);
  if (!starts) {
    starts = [];
    readFileSync(new URL(url), 'utf8')
      .split('\n')
      .forEach((text, line) => {
        const match = /^\/\/ ((?:node_modules|dist)\/\S+)$/.exec(text);
        if (match) starts!.push({ line, path: match[1] });
      });
    bundleSources.set(url, starts);
  }
  let found = url;
  for (const start of starts) {
    if (start.line > lineNumber) break;
    found = start.path.startsWith('dist/') ? start.path.slice('dist/'.length) : start.path;
  }
  return found;
}

function area(url: string, lineNumber = 0): string {
  if (!url) return '(native/vm)';
  url = sourceOf(url, lineNumber);
  const modules = url.split('node_modules/');
  if (modules.length > 1) {
    const rest = modules.at(-1)!.split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const match = /(?:^|\/)(core|adapters|composition|bench|test)\/(.*)$/.exec(url);
  return match ? `${match[1]}/${match[2].split('/')[0]}` : url;
}

function table(title: string, key: (node: ProfileNode) => string, top: number): void {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = key(byId.get(id)!);
    sums.set(name, (sums.get(name) ?? 0) + us);
  }
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [name, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
}

const top = Number(topArg ?? 25);
table('self time by package / folder', (node) => area(node.callFrame.url, node.callFrame.lineNumber), top);
const where = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${area(frame.url, frame.lineNumber)}:${frame.lineNumber + 1}`;
table('self time by function', (node) => where(node.callFrame), top);

// Inclusive time of functions whose name matches the optional third argument (e.g. "createOrm|updateSchema").
const pattern = process.argv[4];
if (pattern) {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const name = `${frame.functionName} ${area(frame.url, frame.lineNumber)}`;
      if (new RegExp(pattern).test(frame.functionName) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  console.log(`\ninclusive time of /${pattern}/`);
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1])) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}
