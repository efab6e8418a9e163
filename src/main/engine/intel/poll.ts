// Polling threat-intelligence feeds over HTTP: a TAXII 2.1 collection (added_after, paging with
// `more`/`next`, the X-TAXII-Date-Added-* headers), a MISP feed (manifest.json, then the events
// that changed) and plain/CSV blocklist URLs (with ETag). Every poll is bounded in pages and bytes.
import type { Indicator } from '../../../shared/types';
import { importIntel, type ImportResult } from './formats';
import { indicatorsFromStix } from './stix';
import { isManifest } from './misp';

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
const MAX_BYTES = 64 * 1024 * 1024;

export interface PollResult {
  indicators: Indicator[];
  errors: string[];
  /** What to send next time (TAXII added_after, ETag, manifest time). */
  cursor?: string;
  requests: number;
}

export interface HttpAuth {
  token?: string;
  username?: string;
  password?: string;
}

function headers(auth: HttpAuth, accept: string): Record<string, string> {
  const h: Record<string, string> = { Accept: accept };
  if (auth.token) h.Authorization = `Bearer ${auth.token}`;
  else if (auth.username)
    h.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  return h;
}

async function get(url: string, h: Record<string, string>, timeoutMs: number): Promise<Response> {
  const res = await fetch(url, {
    headers: h,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > MAX_BYTES) throw new Error(`${url}: response of ${len} bytes exceeds ${MAX_BYTES}`);
  return res;
}

async function bodyText(res: Response, url: string): Promise<string> {
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`${url}: response exceeds ${MAX_BYTES} bytes`);
  return text;
}

export interface TaxiiOptions extends HttpAuth {
  /** The collection URL: `https://host/api-root/collections/ID/`. */
  collection: string;
  source: string;
  pageSize?: number;
  maxPages?: number;
  timeoutMs?: number;
}

/** Fetch every object added after `addedAfter`, following `next` while `more` is true. */
export async function pollTaxii(opts: TaxiiOptions, addedAfter?: string): Promise<PollResult> {
  const out: PollResult = { indicators: [], errors: [], cursor: addedAfter, requests: 0 };
  const base = opts.collection.endsWith('/') ? opts.collection : `${opts.collection}/`;
  let next: string | undefined;
  for (let page = 0; page < (opts.maxPages ?? 1000); page++) {
    const url = new URL('objects/', base);
    if (addedAfter) url.searchParams.set('added_after', addedAfter);
    url.searchParams.set('limit', String(opts.pageSize ?? 500));
    if (next) url.searchParams.set('next', next);
    const res = await get(url.toString(), headers(opts, TAXII_MEDIA), opts.timeoutMs ?? 30_000);
    out.requests += 1;
    if (res.status === 204 || res.status === 404) break;
    if (!res.ok) throw new Error(`TAXII ${url.pathname}: HTTP ${res.status} ${res.statusText}`);
    const envelope = JSON.parse(await bodyText(res, url.toString())) as {
      more?: boolean;
      next?: string;
      objects?: unknown[];
    };
    const last = res.headers.get('x-taxii-date-added-last');
    if (last && (!out.cursor || Date.parse(last) > Date.parse(out.cursor))) out.cursor = last;
    const r = indicatorsFromStix(opts.source, { type: 'bundle', objects: envelope.objects ?? [] });
    out.indicators.push(...r.indicators);
    out.errors.push(...r.errors);
    if (!envelope.more || !envelope.next) break;
    next = envelope.next;
  }
  return out;
}

export interface UrlFeedOptions extends HttpAuth {
  url: string;
  source: string;
  confidence?: number;
  timeoutMs?: number;
  maxEvents?: number;
}

/**
 * A blocklist or MISP URL. A MISP feed's manifest.json is followed to the events newer than the
 * cursor; anything else is imported as it is (STIX, MISP event, CSV, plain list).
 */
export async function pollUrl(opts: UrlFeedOptions, cursor?: string): Promise<PollResult> {
  const h = headers(opts, 'application/json, text/csv, text/plain;q=0.9, */*;q=0.5');
  if (cursor?.startsWith('etag:')) h['If-None-Match'] = cursor.slice(5);
  const res = await get(opts.url, h, opts.timeoutMs ?? 30_000);
  if (res.status === 304) return { indicators: [], errors: [], cursor, requests: 1 };
  if (!res.ok) throw new Error(`${opts.url}: HTTP ${res.status} ${res.statusText}`);
  const text = await bodyText(res, opts.url);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const doc: unknown = JSON.parse(text);
    if (isManifest(doc)) return pollMispFeed(opts, doc, cursor);
  }
  const r: ImportResult = importIntel(opts.source, text, { confidence: opts.confidence });
  const etag = res.headers.get('etag');
  return {
    indicators: r.indicators,
    errors: r.errors,
    cursor: etag ? `etag:${etag}` : cursor,
    requests: 1,
  };
}

async function pollMispFeed(
  opts: UrlFeedOptions,
  manifest: Record<string, Record<string, unknown>>,
  cursor?: string,
): Promise<PollResult> {
  const since = cursor?.startsWith('ts:') ? Number(cursor.slice(3)) : 0;
  const out: PollResult = { indicators: [], errors: [], cursor, requests: 1 };
  const changed = Object.entries(manifest)
    .filter(([, e]) => Number(e.timestamp) > since)
    .sort((a, b) => Number(a[1].timestamp) - Number(b[1].timestamp))
    .slice(0, opts.maxEvents ?? 1000);
  let newest = since;
  for (const [uuid, entry] of changed) {
    const url = new URL(`${uuid}.json`, opts.url).toString();
    const res = await get(url, headers(opts, 'application/json'), opts.timeoutMs ?? 30_000);
    out.requests += 1;
    if (!res.ok) {
      out.errors.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    const r = importIntel(opts.source, await bodyText(res, url), { confidence: opts.confidence });
    out.indicators.push(...r.indicators);
    out.errors.push(...r.errors);
    newest = Math.max(newest, Number(entry.timestamp));
  }
  out.cursor = `ts:${newest}`;
  return out;
}
