import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import openapiTS, { astToString } from 'openapi-typescript';
import { startTestApp } from '../support/test-app.js';

const require = createRequire(import.meta.url);

/** What a frontend writes: three calls through openapi-fetch, typed by the paths generated from /openapi.json. */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000', credentials: 'include' });

export async function main(): Promise<void> {
  const me = await client.GET('/auth/me');
  if (me.error) {
    const code: 'not_authenticated' | 'db_unavailable' | 'internal_error' = me.error.error;
    console.log(code, me.error.message);
  } else {
    const gender: '남성' | '여성' | null | undefined = me.data.user?.gender;
    console.log(me.data.user?.id, gender);
  }

  const persona = await client.POST('/api/personas', { body: { name: '서울의 봄' } });
  if (persona.data) console.log(persona.data.persona?.num);

  const edited = await client.PATCH('/api/posts/{id}', {
    params: { path: { id: '7' } },
    body: { caption: '오늘의 #셀카', media: [1, 2] },
  });
  if (edited.error?.error === 'post_not_editable') console.log(edited.error.message);
}
`;

/** The same calls, wrong: each line must be refused. */
const WRONG_PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });

export async function main(): Promise<void> {
  await client.POST('/api/personas', { body: { name: 1 } });
  await client.PATCH('/api/posts/{id}', { body: { caption: 'no id' } });
  const edited = await client.PATCH('/api/posts/{id}', { params: { path: { id: '7' } }, body: {} });
  if (edited.error?.error === 'persona_create_conflict') console.log('not an error this route answers');
  await client.GET('/api/nowhere');
}
`;

async function typeCheck(dir: string, program: string): Promise<string> {
  await writeFile(join(dir, 'client.ts'), program);
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]);
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe('A TypeScript client generated from /openapi.json (openapi-typescript, openapi-fetch)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    const app = await startTestApp();
    const document = await (await app.fetch('/openapi.json')).json();
    await app.close();
    dir = await mkdtemp(join(tmpdir(), 'selfstar-client-'));
    await writeFile(join(dir, 'schema.d.ts'), astToString(await openapiTS(document)));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        types: [],
        // The temporary folder has no node_modules: the one package the program imports comes from ours.
        paths: { 'openapi-fetch': [require.resolve('openapi-fetch').replace(/index\.\w+$/, 'index.d.mts')] },
      },
      files: ['client.ts'],
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('type-checks a program that calls GET /auth/me, POST /api/personas and PATCH /api/posts/{id}', async () => {
    expect(await typeCheck(dir, PROGRAM)).to.equal('');
  });

  it('refuses the same calls with a wrong body, a missing path parameter, an error code the route never answers, an unknown path', async () => {
    const output = await typeCheck(dir, WRONG_PROGRAM);
    for (const line of [8, 9, 11, 12]) expect(output, output).to.match(new RegExp(`client\\.ts\\(${line},`));
  });
});
