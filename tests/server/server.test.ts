import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHandlers } from '../../src/main/api';
import { createContext, type AppContext } from '../../src/main/context';
import { DemoGenerator } from '../../src/main/demo';
import { CSP, NOT_BUILT } from '../../src/main/server/http';
import { startServer, type RunningServer } from '../../src/main/server';
import type { WirePush, WireReply } from '../../src/shared/wire';
import { STARTER_RULE_FILES } from '../app/helpers';

const root = path.resolve(__dirname, '../..');
let dir: string;
let ctx: AppContext;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haechi-server-'));
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Haechi</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser');
  ctx = await createContext({ dataDir: path.join(dir, 'data'), mode: 'console' });
  server = await startServer({
    ctx,
    handlers: createHandlers(ctx),
    port: 0,
    rendererDir: renderer,
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await ctx.response.idle();
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Open a WebSocket and resolve once open, or reject with the refusal's status. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, method: string, input: unknown): Promise<WireReply> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if ('id' in msg && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg as WireReply);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, input }));
  });
}

describe('the console server', () => {
  it('prints a URL on 127.0.0.1 with a 32-byte token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('refuses the console page without the token or with a wrong one', async () => {
    for (const url of [`${base}/`, `${base}/?token=wrong`, `${base}/assets/app.js`]) {
      const res = await fetch(url);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe(
        'Haechi console: missing or wrong token. Open the URL that `haechi serve` printed.\n',
      );
    }
  });

  it('serves the console with the token, a strict CSP, and lets its assets in by cookie', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html><title>Haechi</title>');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toBe(`haechi_console=${server.token}`);
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const escape = await fetch(`${base}/assets/..%2f..%2fsecret.txt`, { headers: { cookie } });
    expect(escape.status).toBe(404);
  });

  it('sends the CSP and a Strict, HttpOnly, Path=/ cookie, also on a missing favicon and errors', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('set-cookie')).toBe(
      `haechi_console=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const cookie = `haechi_console=${server.token}`;
    const favicon = await fetch(`${base}/favicon.ico`, { headers: { cookie } });
    expect(favicon.status).toBe(204);
    expect(favicon.headers.get('content-security-policy')).toBe(CSP);
    for (const [url, status] of [
      [`${base}/`, 401],
      [`${base}/%2e%2e/%2e%2e/etc/passwd`, 404],
      [`${base}/nope.js`, 404],
    ] as const) {
      const res = await fetch(url, { headers: status === 401 ? {} : { cookie } });
      expect([res.status, res.headers.get('content-security-policy')]).toEqual([status, CSP]);
    }
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/?token=${server.token}`,
          headers: { Host: 'evil.example' },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.end();
    });
    expect(res).toBe(421);
  });

  it('refuses the API without the token, with a wrong one, or from a foreign page', async () => {
    const ws = `ws://127.0.0.1:${server.port}/api`;
    await expect(connect(ws)).rejects.toThrow('refused 401');
    await expect(connect(`${ws}?token=x${server.token}`)).rejects.toThrow('refused 401');
    await expect(
      connect(`${ws}?token=${server.token}`, { Origin: 'http://evil.example' }),
    ).rejects.toThrow('refused 403');
    const ok = await connect(`${ws}?token=${server.token}`, { Origin: base });
    ok.close();
  });

  it('answers calls over the WebSocket, names bad fields, and pushes live ticks', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    const status = await call(ws, 1, 'status', {});
    expect(status).toMatchObject({
      id: 1,
      ok: true,
      result: { mode: 'console', rulesLoaded: STARTER_RULE_FILES.length, rulesRejected: 0 },
    });

    expect(await call(ws, 2, 'listAlerts', { limit: 0 })).toEqual({
      id: 2,
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'invalid input for listAlerts: limit: Too small: expected number to be >=1',
      },
    });
    expect(await call(ws, 3, 'getCase', { id: 'C-1', extra: true })).toEqual({
      id: 3,
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'invalid input for getCase: (input): Unrecognized key: "extra"',
      },
    });
    expect(await call(ws, 6, 'startSource', { id: 'no-such-source' })).toEqual({
      id: 6,
      ok: false,
      error: { code: 'not-found', message: 'no source with id "no-such-source"' },
    });
    expect(await call(ws, 7, 'updateCase', { id: 'C-404', status: 'closed' })).toEqual({
      id: 7,
      ok: false,
      error: { code: 'not-found', message: 'case C-404 not found' },
    });
    expect(await call(ws, 8, 'approveAction', { id: 'X-404' })).toEqual({
      id: 8,
      ok: false,
      error: { code: 'not-found', message: 'action X-404 does not exist' },
    });
    expect(await call(ws, 4, 'dropTables', {})).toEqual({
      id: 4,
      ok: false,
      error: { code: 'invalid-input', message: 'unknown method "dropTables"' },
    });

    const pushed = new Promise<WirePush>((resolve) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString());
        if (msg.topic === 'live' && msg.payload.alerts.length > 0) resolve(msg as WirePush);
      });
    });
    ctx.pipeline.submit(new DemoGenerator(3, 60_000).batch(50, Date.now()).events);
    const push = await pushed;
    expect((push.payload as { alerts: { title: string }[] }).alerts[0].title).toBe(
      'SQL Injection Attempt In Request URI',
    );
    const cases = await call(ws, 5, 'listCases', { status: 'open' });
    expect(cases.ok && (cases.result as { groupKey: string }[]).map((c) => c.groupKey)).toEqual([
      'ip:203.0.113.45',
    ]);
    ws.close();
  });
});

describe('bad frames on the API', () => {
  function nextReply(ws: WebSocket): Promise<WireReply> {
    return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
  }

  it('answers a binary frame, a non-JSON frame and a bad shape with an error, and stays up', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    let reply = nextReply(ws);
    ws.send(Buffer.from([1, 2, 3]));
    expect(await reply).toEqual({
      id: 0,
      ok: false,
      error: { code: 'invalid-input', message: 'binary frames are not accepted: send JSON text' },
    });
    reply = nextReply(ws);
    ws.send('[1,2]');
    expect(await reply).toEqual({
      id: 0,
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'message must be {"id": number, "method": string, "input": …}',
      },
    });
    expect(await call(ws, 9, 'status', {})).toMatchObject({ id: 9, ok: true });
    ws.close();
  });
});

describe('haechi serve', () => {
  it('prints the URL with its token, answers on it, and stops cleanly on SIGTERM', async () => {
    const data = path.join(dir, 'cli-data');
    const extra = path.join(dir, 'extra-rules');
    fs.mkdirSync(extra);
    fs.copyFileSync(
      path.join(root, 'resources/rules/web/web_sql_injection.yml'),
      path.join(extra, 'copy.yml'),
    );
    fs.writeFileSync(path.join(extra, 'broken.yml'), 'title: [unclosed\n');
    const args = ['bin/haechi.mjs', 'serve', '--port', '0', '--data', data, '--rules', extra];
    let stderr = '';
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HAECHI_LOG: 'warn' },
    });
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL in 30 s: ${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^Haechi console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43})$/m.exec(
          out,
        );
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const { port, searchParams } = new URL(url);
    const ws = await connect(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`);
    const reply = await call(ws, 1, 'status', {});
    expect(reply.ok && reply.result).toMatchObject({
      dataDir: data,
      rulesLoaded: STARTER_RULE_FILES.length,
      rulesRejected: 2,
    });
    // The copy repeats a starter rule's id; the broken file does not parse: both named on stderr.
    const notLoaded = stderr
      .split('\n')
      .filter((l) => l.startsWith('haechi serve: rule not loaded: '));
    expect(
      notLoaded.map((l) => l.slice('haechi serve: rule not loaded: '.length).split(':')[0]).sort(),
    ).toEqual([path.join(extra, 'broken.yml'), path.join(extra, 'copy.yml')]);
    ws.close();
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('says so when the port is taken, and exits 1', async () => {
    const child = spawn(
      process.execPath,
      ['bin/haechi.mjs', 'serve', '--port', String(server.port), '--data', path.join(dir, 'taken')],
      { cwd: root, env: { ...process.env, HAECHI_LOG: 'error' } },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toBe(
      `haechi serve: port ${server.port} is in use on 127.0.0.1; pick another with --port\n`,
    );
  });

  it('refuses an unknown option with the usage', async () => {
    const child = spawn(process.execPath, ['bin/haechi.mjs', 'serve', '--prot', '1'], {
      cwd: root,
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toBe(
      'haechi serve: unknown option "--prot" (usage: haechi serve [--port N] [--data DIR] [--rules PATH]... [--demo] [--demo-rate N])\n',
    );
  });
});

it('prints its usage on stdout for --help and exits 0 without starting', async () => {
  const child = spawn(process.execPath, ['bin/haechi.mjs', 'serve', '--help'], { cwd: root });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  expect(out).toBe(
    'usage: haechi serve [--port N] [--data DIR] [--rules PATH]... [--demo] [--demo-rate N]\n',
  );
});

it('answers 503 with how to build when the console is not built', async () => {
  const bare = await startServer({
    ctx,
    handlers: createHandlers(ctx),
    port: 0,
    rendererDir: path.join(dir, 'none'),
  });
  const res = await fetch(bare.url);
  expect(res.status).toBe(503);
  expect(await res.text()).toBe(NOT_BUILT);
  expect(NOT_BUILT).toContain('run `npm run build`');
  await bare.close();
});
