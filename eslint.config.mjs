import tseslint from 'typescript-eslint';

/**
 * The boundaries of the code, as lint rules. A later config object's options for a rule replace an
 * earlier one's for the files both match, so each object repeats the `vscode` ban it needs.
 * test/unit/boundaries.test.ts checks that each rule still flags a violating import.
 */
const VSCODE = (who) => ({ name: 'vscode', message: `${who} must not import vscode: only src/extension talks to the editor.` });
/** src/core serves every surface: it never reaches into one. */
const CORE_UP = { regex: '^(\\.\\./)+(extension|cli|webview)(/|$)|(^|/)src/(extension|cli)(/|$)', message: 'src/core must not import src/extension, src/cli or webview: the surfaces call core, never the other way.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'out/**'] },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE('src/protocol')] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE('src/cli')],
        patterns: [{ regex: '^(\\.\\./)+extension(/|$)', message: 'src/cli must not import src/extension: what both need lives in src/core.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE('webview')],
        patterns: [{ regex: '^\\.\\./(?!src/protocol/)', message: 'The view imports only its own files and src/protocol: it talks to the host through messages.' }],
      }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE('src/core')], patterns: [CORE_UP] }] },
  },
  {
    // The planner reads the Assessment's facts (risk/types, or risk's index) and the rule catalogue
    // (src/core/catalog.ts), never the rules, their wording or their signals.
    files: ['src/core/plan/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE('src/core')],
        patterns: [CORE_UP, { regex: '(^|/)risk/(?!types$)', message: 'The planner reads the Assessment (risk/types) or risk\'s index, never the rules: rule ids and groups come from src/core/catalog.ts.' }],
      }],
    },
  },
  {
    // The simulator reads a plan: the Assessment is behind it.
    files: ['src/core/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE('src/core')],
        patterns: [CORE_UP, { regex: '(^|/)risk(/|$)', message: 'The simulator reads the plan, never the risk step or its rules.' }],
      }],
    },
  },
  {
    // The rule catalogue is shared by the planner, the light bundle and the webview: it imports nothing but the tiers.
    files: ['src/core/catalog.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE('src/core')],
        patterns: [{ regex: '^(?!\\./tier$)', message: 'The rule catalogue imports nothing but ./tier: the planner, the light bundle and the webview share it.' }],
      }],
    },
  },
  {
    // The light bundle (dist/extension.js): everything activation loads. The heavy modules are reached
    // through src/extension/core.ts only, at run time; their types may be imported anywhere.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/heavy.ts', 'src/extension/faults.ts', 'src/extension/panel/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'zod', message: 'zod is in the heavy bundle: reach it through src/extension/core.ts.', allowTypeImports: true }],
        patterns: [{
          regex: '(^|/)(core/(change|risk|plan|sim|pipeline|policy/(load|file|schema|root))|protocol|extension/panel)(/|$)|^\\.{1,2}/(heavy|faults|panel)(/|$)',
          message: 'Activation must stay light: the heavy modules are reached through src/extension/core.ts (loadCore, loadEngine); import only their types here.',
          allowTypeImports: true,
        }],
      }],
    },
  },
);
