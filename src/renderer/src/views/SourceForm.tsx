// The "add a source" form: one labelled input per option a source kind accepts. The field lists
// mirror the zod option schemas of src/main/feed/sources/*.ts (the renderer cannot import them:
// they pull in Node modules); the Node side still validates and its errors are shown per field.
// Known gap: a change to those schemas must be repeated here by hand (the format names are
// shared: src/shared/formats.ts).
import { useState } from 'react';
import { FORMATS } from '../../../shared/formats';
import type { SourceConfig } from '../../../shared/api';
import { api, errorText } from '../api';
import { ErrorBox } from '../components/Bits';

type Kind = SourceConfig['kind'];
type Value = string | number | boolean;

interface Field {
  key: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'secret' | 'check';
  /** Filled in when the form opens; a field without one is sent only when typed. */
  initial?: string;
  /** Shown greyed when empty: the Node side's default or an example. */
  hint?: string;
  choices?: string[];
  /** Tuning fields sit under "More options". */
  more?: boolean;
}

const format: Field = {
  key: 'format',
  label: 'Format',
  type: 'select',
  choices: [...FORMATS],
  initial: 'auto',
};
const token: Field = { key: 'token', label: 'Token', type: 'secret' };

const syslog: Field[] = [
  { key: 'host', label: 'Address', type: 'text', initial: '127.0.0.1' },
  { key: 'port', label: 'Port', type: 'number', initial: '5140' },
  format,
  { key: 'maxFrame', label: 'Max frame (bytes)', type: 'number', hint: '65536', more: true },
];

const intel = (extra: Field[]): Field[] => [
  { key: 'url', label: 'URL', type: 'text', hint: 'https://…' },
  { key: 'intervalSec', label: 'Interval (s)', type: 'number', initial: '3600' },
  token,
  { key: 'username', label: 'Username', type: 'text' },
  { key: 'password', label: 'Password', type: 'secret' },
  { key: 'confidence', label: 'Confidence (0-100)', type: 'number', more: true },
  ...extra,
];

export const FIELDS: Record<Kind, Field[]> = {
  'syslog-tcp': syslog,
  'syslog-udp': syslog,
  file: [
    { key: 'path', label: 'Path', type: 'text', hint: '/var/log/syslog' },
    format,
    {
      key: 'from',
      label: 'Read from',
      type: 'select',
      choices: ['start', 'end'],
      initial: 'start',
    },
    { key: 'pollMs', label: 'Poll (ms)', type: 'number', hint: '250', more: true },
    { key: 'chunkBytes', label: 'Chunk (bytes)', type: 'number', hint: '1048576', more: true },
  ],
  nats: [
    { key: 'url', label: 'URL', type: 'text', initial: 'nats://127.0.0.1:4222' },
    { key: 'stream', label: 'Stream', type: 'text', hint: 'EVENTS' },
    { key: 'subject', label: 'Subject', type: 'text', hint: 'events.>' },
    { key: 'durable', label: 'Durable', type: 'text', initial: 'haechi' },
    format,
    token,
    { key: 'createStream', label: 'Create stream', type: 'check', more: true },
    { key: 'batch', label: 'Batch', type: 'number', hint: '1000', more: true },
    { key: 'flushMs', label: 'Flush (ms)', type: 'number', hint: '2', more: true },
    { key: 'ackWaitSec', label: 'Ack wait (s)', type: 'number', hint: '30', more: true },
  ],
  websocket: [
    { key: 'url', label: 'URL', type: 'text', hint: 'ws://127.0.0.1:8080/events' },
    format,
    token,
    { key: 'minBackoffMs', label: 'Min backoff (ms)', type: 'number', hint: '250', more: true },
    { key: 'maxBackoffMs', label: 'Max backoff (ms)', type: 'number', hint: '30000', more: true },
  ],
  taxii: intel([{ key: 'pageSize', label: 'Page size', type: 'number', hint: '500', more: true }]),
  misp: intel([]),
  blocklist: intel([]),
};

const KINDS = Object.keys(FIELDS) as Kind[];

function initialValues(kind: Kind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FIELDS[kind]) out[f.key] = f.initial ?? '';
  return out;
}

/** The typed values as source options: empty fields left out, numbers and checks typed. */
export function toOptions(kind: Kind, values: Record<string, string>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of FIELDS[kind]) {
    const v = (values[f.key] ?? '').trim();
    if (f.type === 'check') {
      if (v === 'true') out[f.key] = true;
    } else if (v !== '') {
      out[f.key] = f.type === 'number' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    }
  }
  return out;
}

/**
 * The Node side's error split by field. Two shapes arrive: the source's own options check
 * (`✖ why\n  → at field`, from z.prettifyError) and the API input check
 * (`invalid input for saveSource: options.port: why; name: why`).
 */
export function fieldErrors(text: string): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  const pretty = text.split('✖ ').slice(1);
  if (pretty.length) {
    for (const part of pretty) {
      const m = /^([\s\S]*?)\n\s*→ at ([\w.]+)\s*$/.exec(part.trim() + '\n');
      if (m) byField[m[2]] = m[1].trim();
      else rest.push(part.trim());
    }
    return { byField, rest };
  }
  const api = /invalid input for \w+: (.*)$/s.exec(text);
  if (!api) return { byField, rest: [text] };
  for (const part of api[1].split('; ')) {
    const m = /^([\w.]+|\(input\)): (.*)$/s.exec(part);
    if (m && m[1] !== '(input)') byField[m[1].replace(/^options\./, '')] = m[2];
    else rest.push(part);
  }
  return { byField, rest };
}

function FieldInput(props: {
  field: Field;
  value: string;
  error?: string;
  onChange(v: string): void;
}) {
  const { field: f, value, error, onChange } = props;
  const id = `src-opt-${f.key}`;
  const common = {
    id,
    'data-testid': id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-err` : undefined,
  };
  let input;
  if (f.type === 'select') {
    input = (
      <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        {(f.choices ?? []).map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    );
  } else if (f.type === 'check') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === 'true'}
        onChange={(e) => onChange(String(e.target.checked))}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type={f.type === 'secret' ? 'password' : 'text'}
        inputMode={f.type === 'number' ? 'numeric' : undefined}
        autoComplete={f.type === 'secret' ? 'new-password' : 'off'}
        placeholder={f.hint}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`src-field src-field-${f.type}`}>
      <label htmlFor={id}>{f.label}</label>
      {input}
      {error && (
        <span className="field-error" id={`${id}-err`} data-testid={`${id}-err`}>
          {error}
        </span>
      )}
    </div>
  );
}

function Fields(props: {
  fields: Field[];
  values: Record<string, string>;
  errors: Record<string, string>;
  set(key: string, v: string): void;
}) {
  return (
    <>
      {props.fields.map((f) => (
        <FieldInput
          key={f.key}
          field={f}
          value={props.values[f.key] ?? ''}
          error={props.errors[f.key]}
          onChange={(v) => props.set(f.key, v)}
        />
      ))}
    </>
  );
}

export function AddSource({ onSaved }: { onSaved(): void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('syslog-tcp');
  const [values, setValues] = useState(() => initialValues('syslog-tcp'));
  const [errors, setErrors] = useState<{ byField: Record<string, string>; rest: string[] }>();
  const [busy, setBusy] = useState(false);
  const fields = FIELDS[kind];
  const set = (key: string, v: string) => setValues((old) => ({ ...old, [key]: v }));
  const changeKind = (k: Kind) => {
    setKind(k);
    setValues(initialValues(k)); // credentials typed for another kind are dropped, not carried
    setErrors(undefined);
  };
  const save = async () => {
    setBusy(true);
    try {
      await api.saveSource({
        name: name.trim(),
        kind,
        enabled: true,
        options: toOptions(kind, values),
      });
      setName('');
      setValues(initialValues(kind)); // secrets leave the form once sent
      setErrors(undefined);
      onSaved();
    } catch (e) {
      setErrors(fieldErrors(errorText(e)));
    } finally {
      setBusy(false);
    }
  };
  const byField = errors?.byField ?? {};
  const named = Object.entries(byField).filter(([k]) => k !== 'name');
  const labelOf = (k: string) => fields.find((f) => f.key === k)?.label ?? k;
  return (
    <div className="src-form" data-testid="source-form">
      <div className="src-fields">
        <FieldInput
          field={{ key: 'name', label: 'Name', type: 'text', hint: 'e.g. web syslog' }}
          value={name}
          error={byField.name}
          onChange={setName}
        />
        <div className="src-field">
          <label htmlFor="src-kind">Kind</label>
          <select id="src-kind" value={kind} onChange={(e) => changeKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </div>
        <Fields fields={fields.filter((f) => !f.more)} values={values} errors={byField} set={set} />
        <button
          className="btn btn-primary src-add"
          disabled={!name.trim() || busy}
          onClick={() => void save()}
        >
          Add source
        </button>
      </div>
      {fields.some((f) => f.more) && (
        <details className="src-more" open={fields.some((f) => f.more && byField[f.key])}>
          <summary>More options</summary>
          <div className="src-fields">
            <Fields
              fields={fields.filter((f) => f.more)}
              values={values}
              errors={byField}
              set={set}
            />
          </div>
        </details>
      )}
      {errors && (named.length > 0 || errors.rest.length > 0) && (
        <div className="src-errors" data-testid="source-errors">
          <ErrorBox
            error={[...named.map(([k, why]) => `${labelOf(k)}: ${why}`), ...errors.rest].join(
              ' · ',
            )}
          />
        </div>
      )}
    </div>
  );
}
