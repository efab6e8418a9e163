// The Electron wiring without an Electron binary: electron's ipcMain, ipcRenderer and
// contextBridge are replaced by recorders, the rest (API, validation, topics) is real.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, TOPICS } from '../../src/shared/api';
import { createHandlers } from '../../src/main/api';
import { DemoGenerator } from '../../src/main/demo';
import { STARTER_RULE_FILES, tempContext } from './helpers';

const bridge = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
      bridge.handlers.set(channel, fn),
    removeHandler: (channel: string) => bridge.handlers.delete(channel),
  },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      bridge.invoked.push([channel, input]);
      return 'answer';
    },
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) =>
      bridge.listeners.set(channel, fn),
    removeListener: (channel: string) => bridge.listeners.delete(channel),
  },
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => bridge.exposed.set(key, value),
  },
}));

const { bindIpc } = await import('../../src/main/ipc');

type Ctx = Awaited<ReturnType<typeof tempContext>>;
let ctx: Ctx;
const sent: [string, unknown][] = [];
const window = {
  isDestroyed: () => false,
  webContents: { send: (c: string, p: unknown) => sent.push([c, p]) },
};
const ours = { senderFrame: { url: 'file:///opt/haechi/out/renderer/index.html' } };
let unbind: () => void;

beforeAll(async () => {
  ctx = await tempContext();
  unbind = bindIpc(
    ctx,
    createHandlers(ctx),
    () => window as never,
    'file:///opt/haechi/out/renderer',
  );
});
afterAll(async () => {
  unbind();
  await ctx.cleanup();
});

describe('Electron IPC', () => {
  it('binds every API method as haechi:<name>', () => {
    expect([...bridge.handlers.keys()].sort()).toEqual(
      METHOD_NAMES.map((n) => `haechi:${n}`).sort(),
    );
  });

  it('answers our window through the same validation as the server', async () => {
    const status = (await bridge.handlers.get('haechi:status')!(ours, {})) as {
      rulesLoaded: number;
    };
    expect(status.rulesLoaded).toBe(STARTER_RULE_FILES.length);
    await expect(bridge.handlers.get('haechi:getCase')!(ours, { id: '' })).rejects.toThrow(
      'invalid-input: invalid input for getCase: id: Too small: expected string to have >=1 characters',
    );
    await expect(
      bridge.handlers.get('haechi:addCaseNote')!(ours, { caseId: 'C-7', text: 'x' }),
    ).rejects.toThrow('not-found: case C-7 not found');
  });

  it('refuses calls from any other frame', async () => {
    const stranger = { senderFrame: { url: 'https://evil.example/' } };
    await expect(bridge.handlers.get('haechi:status')!(stranger, {})).rejects.toThrow(
      'refused: not the Haechi window',
    );
    // A sibling path sharing the renderer folder's name as a prefix is another page.
    const sibling = { senderFrame: { url: 'file:///opt/haechi/out/renderer-evil/index.html' } };
    await expect(bridge.handlers.get('haechi:status')!(sibling, {})).rejects.toThrow(
      'refused: not the Haechi window',
    );
  });

  it('pushes topics to the window', async () => {
    ctx.pipeline.ingest(new DemoGenerator(5, 60_000).batch(10, Date.now()).events);
    await new Promise((r) => setTimeout(r, 400));
    const live = sent.filter(([c]) => c === 'haechi:topic:live');
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect((live[0][1] as { events: number }).events).toBe(10);
    expect(sent.some(([c]) => c === 'haechi:topic:case')).toBe(true);
  });
});

describe('the preload bridge', () => {
  it('exposes window.haechi with the named methods and on(), nothing else', async () => {
    await import('../../src/preload/index');
    const api = bridge.exposed.get('haechi') as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(await api.listCases({ status: 'open' })).toBe('answer');
    expect(bridge.invoked).toEqual([['haechi:listCases', { status: 'open' }]]);
    const got: unknown[] = [];
    const off = api.on('live', (p: unknown) => got.push(p)) as () => void;
    bridge.listeners.get('haechi:topic:live')!({}, { eps: 3 });
    expect(got).toEqual([{ eps: 3 }]);
    off();
    expect(bridge.listeners.has('haechi:topic:live')).toBe(false);
    expect(() => api.on('secrets', () => undefined)).toThrow('unknown topic "secrets"');
    expect(TOPICS).toContain('live');
  });
});
