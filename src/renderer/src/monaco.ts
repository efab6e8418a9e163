// Monaco, bundled: only the editor core and YAML (with monaco-yaml for schema checks and
// completion). Workers come from Vite `?worker` imports; nothing is fetched from a CDN.
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import YamlWorker from 'monaco-yaml/yaml.worker.js?worker';
import { configureMonacoYaml } from 'monaco-yaml';
import { loader } from '@monaco-editor/react';
import { sigmaSchema } from './sigmaSchema';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

loader.config({ monaco: monaco as unknown as Parameters<typeof loader.config>[0]['monaco'] });

configureMonacoYaml(monaco, {
  enableSchemaRequest: false,
  validate: true,
  completion: true,
  hover: true,
  format: {},
  schemas: [
    { uri: 'inmemory://haechi/sigma-rule.json', fileMatch: ['**/rule-*.yml'], schema: sigmaSchema },
  ],
});

monaco.editor.defineTheme('haechi-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#10151c', 'editorGutter.background': '#10151c' },
});
monaco.editor.defineTheme('haechi-light', { base: 'vs', inherit: true, rules: [], colors: {} });

export { monaco };
