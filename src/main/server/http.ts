// The console's HTTP side: serves the built renderer from out/renderer to a browser that holds the
// token, with a strict CSP, on 127.0.0.1 only.
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from './token';

export const COOKIE = 'haechi_console';

/** The console's Content-Security-Policy (STACK.md pitfall 8, plus the API's WebSocket). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export const NOT_BUILT =
  'The Haechi console is not built yet: run `npm run build` in the project folder, then start it again.\n';

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

/** True when the request carries the token, in `?token=` or in the console's cookie. */
export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const given = url.searchParams.get('token') ?? cookieToken(req);
  return given !== undefined && given !== null && tokenMatches(given, token);
}

/** Only our own names for the host: refuses DNS-rebinding pages that point a name at 127.0.0.1. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** The file under `root` that a URL path names, or null when it would leave `root`. */
export function resolveStatic(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

export function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { token: string; port: number; rendererDir: string },
): void {
  if (!hostAllowed(req, opts.port)) return send(res, 421, 'Haechi answers on 127.0.0.1 only.\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.\n');
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${opts.port}`);
  if (!hasToken(req, url, opts.token)) {
    return send(
      res,
      401,
      'Haechi console: missing or wrong token. Open the URL that `haechi serve` printed.\n',
    );
  }
  const file = resolveStatic(opts.rendererDir, url.pathname);
  if (!file) return send(res, 404, 'Not found.\n');
  if (!fs.existsSync(path.join(opts.rendererDir, 'index.html'))) return send(res, 503, NOT_BUILT);
  fs.readFile(file, (err, body) => {
    if (err && url.pathname === '/favicon.ico') {
      return void res
        .writeHead(204, { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' })
        .end();
    }
    if (err) return send(res, 404, 'Not found.\n');
    const headers: Record<string, string> = {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    // The page strips the token from its address; the cookie lets its assets and reloads in.
    if (url.searchParams.has('token')) {
      headers['Set-Cookie'] = `${COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
