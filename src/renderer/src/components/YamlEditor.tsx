// The YAML editor (Monaco): rule problems from the engine become markers at their line/column.
import { useEffect, useRef } from 'react';
import Editor from '@monaco-editor/react';
import type { RuleProblem } from '../../../shared/types';
import { monaco } from '../monaco';
import { useUi } from '../stores/ui';

interface Props {
  value: string;
  onChange(v: string): void;
  problems: RuleProblem[];
  /** Model path; `rule-*.yml` gets the Sigma schema. */
  path: string;
}

type Model = ReturnType<typeof monaco.editor.createModel>;

export function toMarkers(problems: RuleProblem[], model: Model) {
  return problems.map((p) => {
    const line = Math.min(Math.max(1, p.line ?? 1), model.getLineCount());
    const col = Math.max(1, p.column ?? 1);
    return {
      severity: monaco.MarkerSeverity.Error,
      message: p.message,
      startLineNumber: line,
      startColumn: p.column ? col : 1,
      endLineNumber: line,
      endColumn: p.column ? col + 1 : model.getLineMaxColumn(line),
    };
  });
}

export default function YamlEditor({ value, onChange, problems, path }: Props) {
  const theme = useUi((s) => s.theme);
  const modelRef = useRef<Model | null>(null);

  useEffect(() => {
    const model = modelRef.current;
    if (model) monaco.editor.setModelMarkers(model, 'haechi', toMarkers(problems, model));
  }, [problems]);

  return (
    <div className="editor" data-testid="yaml-editor">
      <Editor
        path={path}
        language="yaml"
        value={value}
        theme={theme === 'dark' ? 'haechi-dark' : 'haechi-light'}
        onChange={(v) => onChange(v ?? '')}
        onMount={(editor) => {
          modelRef.current = editor.getModel() as Model | null;
          if (modelRef.current) {
            monaco.editor.setModelMarkers(
              modelRef.current,
              'haechi',
              toMarkers(problems, modelRef.current),
            );
          }
        }}
        options={{
          minimap: { enabled: false },
          fontSize: 12,
          lineNumbers: 'on',
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabSize: 2,
          renderWhitespace: 'boundary',
        }}
      />
    </div>
  );
}
