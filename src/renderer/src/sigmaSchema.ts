// A small JSON schema for Sigma rules, for completion and early warnings in the editor. The
// engine's own parser is the authority; this only helps while typing.
import type { JSONSchema } from 'monaco-yaml';

const levels = ['informational', 'low', 'medium', 'high', 'critical'];
const statuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];

export const sigmaSchema: JSONSchema = {
  type: 'object',
  required: ['title', 'logsource', 'detection'],
  properties: {
    title: { type: 'string', description: 'A short title for the rule' },
    id: { type: 'string', description: 'A UUID that identifies the rule' },
    name: { type: 'string' },
    related: { type: 'array' },
    status: { enum: statuses },
    description: { type: 'string' },
    references: { type: 'array', items: { type: 'string' } },
    author: { type: 'string' },
    date: { type: 'string' },
    modified: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    logsource: {
      type: 'object',
      properties: {
        product: { type: 'string' },
        category: { type: 'string' },
        service: { type: 'string' },
        definition: { type: 'string' },
      },
    },
    detection: {
      type: 'object',
      required: ['condition'],
      properties: {
        condition: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        timeframe: { type: 'string' },
      },
    },
    fields: { type: 'array', items: { type: 'string' } },
    falsepositives: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    level: { enum: levels },
  },
};
