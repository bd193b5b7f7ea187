// ESLint: typescript-eslint's strict and stylistic type-checked rules, import cycles, and the
// rule that keeps the page's bundle small: code that runs on the main thread never imports the
// engine, transformers.js or onnxruntime by value (types are fine; they vanish at build).

import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

/** Modules that load the model: only the worker (and Node) may import them by value. */
const ENGINE_ONLY = {
  paths: [
    {
      name: '@huggingface/transformers',
      message: 'transformers.js runs in the worker; import its types only.',
      allowTypeImports: true,
    },
    { name: 'onnxruntime-web', message: 'onnxruntime runs in the worker.', allowTypeImports: true },
    { name: 'onnxruntime-node', message: 'onnxruntime runs in the worker.', allowTypeImports: true },
  ],
  patterns: [
    {
      group: [
        '**/engine/*',
        '**/encoding/*',
        '**/platform/transformers*',
        '**/platform/browser*',
        '**/platform/node*',
        '**/worker*',
      ],
      message: 'Main-thread code must not pull the engine into the page bundle; import types only.',
      allowTypeImports: true,
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'demo-dist/',
      'test/.models/',
      'test/screenshots/',
      '.vitest-attachments/',
      'scratch/',
      'examples/*/dist/',
      'examples/*/node_modules/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      // noUncheckedIndexedAccess makes `xs[i]!` the explicit way to say "in range here".
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Runs on the page: the browser entry and everything it imports by value.
    files: [
      'src/index.ts',
      'src/boundary.ts',
      'src/api/**',
      'src/http/**',
      'src/remote/**',
      'src/ai-sdk/**',
      'src/langchain/**',
      'src/integrations/**',
      'src/models/**',
      'src/search/**',
      'src/util/**',
      'src/platform/threads.ts',
    ],
    rules: { 'no-restricted-imports': ['error', ENGINE_ONLY] },
  },
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
)
