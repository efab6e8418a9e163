// Regressions found by using the console: source addresses cut short in the Alerts table (two
// addresses looked alike), the Verdict column pushed out of view, and problems in the pasted test
// events shown as if at a line of the rule.
import { beforeAll, describe, expect, it } from 'vitest';
import { problemWhere } from '../../src/renderer/src/format';

let minWidth: typeof import('../../src/renderer/src/components/DataTable').minWidth;
let cols: typeof import('../../src/renderer/src/views/columns');

beforeAll(async () => {
  // The tables import the API client, which looks at the page once: a page without a token.
  Object.assign(globalThis, {
    window: globalThis,
    location: { search: '', pathname: '/', hash: '' },
    sessionStorage: { getItem: () => null, setItem: () => undefined },
  });
  minWidth = (await import('../../src/renderer/src/components/DataTable')).minWidth;
  cols = await import('../../src/renderer/src/views/columns');
});

describe('the alert tables', () => {
  it('give the source address room for any IPv4 address in 12.5px monospace', () => {
    // 15 characters at 7.6px plus 16px of cell padding.
    expect(Number.parseFloat(cols.SOURCE_IP_PX)).toBeGreaterThanOrEqual(Math.ceil(15 * 7.6 + 16));
    for (const set of [cols.alertColumns, cols.liveColumns])
      expect(set.find((c) => c.key === 'ip')?.width).toBe(cols.SOURCE_IP_PX);
  });

  it('fit beside the detail pane at 1400px, so Verdict stays in view', () => {
    // 1400 − 176 (nav) − 16 (view padding) − 8 (gap) − 416 (side pane, 34%) = 784.
    expect(minWidth(cols.alertColumns)).toBe(780);
    expect(minWidth(cols.alertColumns)).toBeLessThanOrEqual(784);
  });
});

describe('rule problems', () => {
  it('name the test events line apart from the rule line and column', () => {
    expect(problemWhere({ file: 'events', line: 17, message: 'x' } as never)).toBe(
      'events line 17',
    );
    expect(problemWhere({ file: 'editor', line: 8, column: 5 })).toBe('8:5');
    expect(problemWhere({ file: 'editor' })).toBe('?:?');
  });
});
