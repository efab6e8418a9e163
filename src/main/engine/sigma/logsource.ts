// Log sources and field names, from the editable mapping data in resources/mappings/sigma.yml.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { HaechiEvent } from '../../../shared/types';
import type { LogSource } from './types';

/** The log source of an event: one product, any number of categories and services. */
export interface EventSource {
  product?: string;
  categories: string[];
  services: string[];
  key: string;
}

interface MappingData {
  windows?: {
    channels?: Record<string, string[]>;
    categories?: Record<string, Record<string, string[]>>;
  };
  detectors?: { logsource: LogSource; fields: string[] }[];
  fields?: Record<string, string[]>;
  placeholders?: Record<string, string[]>;
}

export class Mapping {
  private readonly channels = new Map<string, string[]>();
  private readonly categories = new Map<string, Map<string, string[]>>();
  private readonly sources = new Map<string, EventSource>();
  /** Channel → event id (as the event holds it) → source: no key string built per event. */
  private readonly windowsCache = new Map<string, Map<unknown, EventSource>>();
  private windowsCached = 0;
  readonly placeholders: Record<string, string[]>;

  constructor(private readonly data: MappingData) {
    for (const [ch, services] of Object.entries(data.windows?.channels ?? {})) {
      this.channels.set(ch.toLowerCase(), services);
    }
    for (const [service, ids] of Object.entries(data.windows?.categories ?? {})) {
      this.categories.set(service, new Map(Object.entries(ids).map(([id, c]) => [String(id), c])));
    }
    this.placeholders = data.placeholders ?? {};
  }

  /** Candidate event field names for a rule field: its own name first, then the mapped ones. */
  fieldNames(field: string): string[] {
    return [field, ...(this.data.fields?.[field] ?? []).filter((f) => f !== field)];
  }

  /** The log source of an event (feeds may set `event.logsource`; otherwise derived here). */
  sourceOf(ev: HaechiEvent): EventSource {
    const f = ev.fields;
    if (ev.logsource)
      return this.intern(
        ev.logsource.product,
        ev.logsource.category ? [ev.logsource.category] : [],
        ev.logsource.service ? [ev.logsource.service] : [],
      );
    const channel = f.Channel ?? f['winlog.channel'];
    if (
      typeof channel === 'string' &&
      (f.EventID !== undefined || f['winlog.event_id'] !== undefined)
    ) {
      return this.windowsSource(channel, f.EventID ?? f['winlog.event_id']);
    }
    for (const d of this.data.detectors ?? []) {
      if (d.fields.every((name) => f[name] !== undefined)) {
        const ls = d.logsource;
        return this.intern(
          ls.product,
          ls.category ? [ls.category] : [],
          ls.service ? [ls.service] : [],
        );
      }
    }
    return this.intern(undefined, [], []);
  }

  private windowsSource(channel: string, eventId: unknown): EventSource {
    let byId = this.windowsCache.get(channel);
    let s = byId?.get(eventId);
    if (!s) {
      s = this.windowsSourceOf(channel, String(eventId));
      if (this.windowsCached < 100_000) {
        if (!byId) this.windowsCache.set(channel, (byId = new Map()));
        byId.set(eventId, s);
        this.windowsCached++;
      }
    }
    return s;
  }

  private windowsSourceOf(channel: string, eventId: string): EventSource {
    const services = this.channels.get(channel.toLowerCase()) ?? [];
    const categories = services.flatMap((s) => this.categories.get(s)?.get(eventId) ?? []);
    return this.intern('windows', categories, services);
  }

  private intern(
    product: string | undefined,
    categories: string[],
    services: string[],
  ): EventSource {
    const key = `${product ?? ''}|${categories.join(',')}|${services.join(',')}`;
    let s = this.sources.get(key);
    if (!s) {
      s = { product, categories, services, key };
      this.sources.set(key, s);
    }
    return s;
  }
}

/** True when a rule with this log source may see events of that source. */
export function sourceMatches(rule: LogSource, ev: EventSource): boolean {
  if (rule.product !== undefined && rule.product !== ev.product) return false;
  if (rule.category !== undefined && !ev.categories.includes(rule.category)) return false;
  if (rule.service !== undefined && !ev.services.includes(rule.service)) return false;
  return true;
}

function defaultMappingPath(): string {
  const here = join(
    fileURLToPath(new URL('.', import.meta.url)),
    '../../../../resources/mappings/sigma.yml',
  );
  if (existsSync(here)) return here;
  return join(process.cwd(), 'resources/mappings/sigma.yml');
}

let defaultMapping: Mapping | undefined;

/** Loads a mapping file; without a path, Haechi's defaults (cached). */
export function loadMapping(path?: string): Mapping {
  if (!path && defaultMapping) return defaultMapping;
  const data = parse(readFileSync(path ?? defaultMappingPath(), 'utf8')) as MappingData;
  const m = new Mapping(data ?? {});
  if (!path) defaultMapping = m;
  return m;
}
