// ESLint (flat config): eslint's recommended rules, typescript-eslint's recommended set and its type-aware
// promise and type rules on every .ts file in tsconfig.json (core, adapters, composition, test, bench,
// scripts); eslint-config-prettier last, so nothing here argues with Prettier about layout.
// `npm run lint` fails on any warning (--max-warnings=0).
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'bench/results/', 'node_modules/']),
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware rules, picked one by one rather than the whole recommendedTypeChecked set. Left out on
      // purpose: the no-unsafe-* family (assignment, member-access, call, argument, return: 208 findings,
      // 182 of them tests reading parsed JSON, `await res.json()`, as `any`), and, from
      // `recommended`, no-explicit-any (off below): its `any`s are deliberate, e.g. Route<B = any, Q = any>
      // so routes of every body type fit one list, and Koa<any, any>. Typing all that would be a large
      // rewrite of the tests for no gain in what they check.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      // `_`-prefixed names are the code base's way of saying "unused on purpose" (tsc's noUnused* agree).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain-JS scripts (bench baselines, the bundler, this file): Node globals; no type-aware rules (not in tsconfig).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
