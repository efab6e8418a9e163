// Zeek's tab-separated logs: a `#fields` header names the columns, `#types` types them.
import type { Obj } from './json';

export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields?: string[];
  types?: string[];
}

export function newZeekHeader(): ZeekHeader {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
}

function unescapeSep(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Apply a `#...` header line to the header state. Returns false for other comments. */
export function applyZeekDirective(line: string, h: ZeekHeader): boolean {
  if (line.startsWith('#separator ')) {
    h.separator = unescapeSep(line.slice(11).trim());
    return true;
  }
  const parts = line.slice(1).split(h.separator);
  const [name, ...values] = parts;
  switch (name) {
    case 'set_separator':
      h.setSeparator = values[0] ?? ',';
      break;
    case 'empty_field':
      h.emptyField = values[0] ?? '(empty)';
      break;
    case 'unset_field':
      h.unsetField = values[0] ?? '-';
      break;
    case 'path':
      h.path = values[0];
      break;
    case 'fields':
      h.fields = values;
      break;
    case 'types':
      h.types = values;
      break;
    case 'open':
    case 'close':
      break;
    default:
      return false;
  }
  return true;
}

function typed(value: string, type: string | undefined, h: ZeekHeader): unknown {
  if (value === h.emptyField)
    return type?.startsWith('set') || type?.startsWith('vector') ? [] : '';
  if (!type) return value;
  if (type.startsWith('set[') || type.startsWith('vector[')) return value.split(h.setSeparator);
  if (
    type === 'count' ||
    type === 'int' ||
    type === 'port' ||
    type === 'double' ||
    type === 'interval'
  ) {
    const n = Number(value);
    return Number.isNaN(n) ? value : n;
  }
  if (type === 'bool') return value === 'T';
  return value;
}

/** One data row → an object keyed by the `#fields` names; a reason when it does not fit. */
export function parseZeekRow(line: string, h: ZeekHeader): Obj | string {
  if (!h.fields) return 'zeek: data line before the #fields header';
  const values = line.split(h.separator);
  if (values.length !== h.fields.length) {
    return `zeek: ${values.length} columns but #fields names ${h.fields.length}`;
  }
  const out: Obj = {};
  if (h.path) out._path = h.path;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === h.unsetField) continue;
    out[h.fields[i]] = typed(values[i], h.types?.[i], h);
  }
  return out;
}
