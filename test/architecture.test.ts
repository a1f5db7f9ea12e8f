import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** Libraries of pure computation, no I/O, that core may import: luxon (IANA time-zone arithmetic, core/publishing/schedule-time.ts). */
const CORE_LIBRARIES = ['luxon'];

const featureOf = (path: string) => /^core\/([^/]+)\//.exec(path)?.[1] ?? null;

/**
 * The imports of `file` (relative to ROOT) that reach into another core feature other than through its
 * index.ts; core/shared, which every feature may use, imports no feature.
 */
function crossFeatureViolations(file: string, specs: string[]): string[] {
  const own = featureOf(file);
  return specs
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)))
    .filter((target) => {
      const other = featureOf(target);
      if (!other || other === own) return false;
      return own === 'shared' || target !== join('core', other, 'index.js');
    })
    .map((target) => `${file} imports ${target}`);
}

describe('architecture', () => {
  it('finds the core sources it checks', () => {
    expect(sourceFiles(join(ROOT, 'core')).length).to.be.greaterThan(5);
  });

  it('core imports nothing but core/, node: builtins and the pure libraries it may use', () => {
    const violations = sourceFiles(join(ROOT, 'core')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => {
          if (spec.startsWith('node:') || CORE_LIBRARIES.includes(spec)) return false;
          if (!spec.startsWith('.')) return true;
          return relative(join(ROOT, 'core'), resolve(dirname(file), spec)).startsWith('..');
        })
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(violations).to.deep.equal([]);
  });

  it('a core feature imports another only through its index.ts, and core/shared imports no feature', () => {
    const violations = sourceFiles(join(ROOT, 'core')).flatMap((file) => crossFeatureViolations(relative(ROOT, file), importsOf(file)));
    expect(violations).to.deep.equal([]);
  });

  it("the feature check sees an import past another feature's index.ts", () => {
    expect(
      crossFeatureViolations('core/publishing/post-queue.ts', ['../shared/index.js', './post.js', '../personas/index.js']),
    ).to.deep.equal([]);
    expect(crossFeatureViolations('core/publishing/use-cases/x.ts', ['../../personas/ports/persona-repository.js'])).to.deep.equal([
      'core/publishing/use-cases/x.ts imports core/personas/ports/persona-repository.js',
    ]);
    expect(crossFeatureViolations('core/shared/errors.ts', ['../identity/index.js'])).to.have.length(1);
  });

  it('adapters never import composition', () => {
    const violations = sourceFiles(join(ROOT, 'adapters')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.') && relative(ROOT, resolve(dirname(file), spec)).startsWith('composition'))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(violations).to.deep.equal([]);
  });

  it('an adapter imports only core, its own folder and the shared adapter helpers', () => {
    const shared = ['outbound', 'validation', 'logging'].map((dir) => join('adapters', dir));
    const violations = sourceFiles(join(ROOT, 'adapters')).flatMap((file) => {
      const own = relative(ROOT, file).split('/').slice(0, 2).join('/');
      return importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(ROOT, resolve(dirname(file), spec)))
        .filter((target) => {
          if (target.startsWith('core/')) return false;
          const folder = target.split('/').slice(0, 2).join('/');
          return folder !== own && !shared.includes(folder);
        })
        .map((target) => `${relative(ROOT, file)} imports ${target}`);
    });
    expect(violations).to.deep.equal([]);
  });

  it('errors are built only in core/shared/errors.ts, the catalogue', () => {
    const builders = ['core', 'adapters', 'composition']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter(
        (file) => relative(ROOT, file) !== join('core', 'shared', 'errors.ts') && readFileSync(file, 'utf8').includes('new DomainError('),
      )
      .map((file) => relative(ROOT, file));
    expect(builders).to.deep.equal([]);
  });

  it('every core feature but shared has its composition module', () => {
    const features = readdirSync(join(ROOT, 'core')).filter((name) => name !== 'shared');
    const missing = features.filter((name) => !existsSync(join(ROOT, 'composition', 'features', name, 'module.ts')));
    expect(features.length).to.be.greaterThan(3);
    expect(missing).to.deep.equal([]);
  });

  it("docs/architecture.md's layout names every feature of core/ and composition/features/, and every folder of adapters/", () => {
    const architecture = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(architecture)?.[1] ?? '';
    const folders = (dir: string) =>
      readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${entry.name}/`);
    const names = [...folders('core'), ...folders('composition/features'), ...folders('adapters')];
    expect(layout.length).to.be.greaterThan(500);
    expect(names.filter((name) => !layout.includes(name))).to.deep.equal([]);
  });

  it('the import scanner sees a forbidden import when there is one', () => {
    const sample = "import Koa from 'koa';\nimport { x } from './x.js';";
    expect([...sample.matchAll(IMPORT)].map((m) => m[1])).to.deep.equal(['koa', './x.js']);
  });
});
