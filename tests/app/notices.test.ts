// The response side's warnings reach the analyst as alerts: a block limit reached, an enforcer down.
import { describe, expect, it } from 'vitest';
import { callApi, createHandlers } from '../../src/main/api';
import type { CaseDetail } from '../../src/shared/api';
import type { Alert } from '../../src/shared/types';
import { tempContext } from './helpers';

describe('notices from the response side', () => {
  it('raises a high alert in a case of its own when an enforcer reaches its block limit', async () => {
    const ctx = await tempContext();
    const api = createHandlers(ctx);
    ctx.response.emit('limit', { enforcer: 'edge', perMinute: 60, at: Date.now() });
    const [alert] = (await callApi(api, 'listAlerts', {})) as Alert[];
    expect(alert).toMatchObject({
      title: 'Block limit reached on enforcer edge',
      ruleId: 'haechi:block-limit',
      severity: 'high',
      score: 65,
      eventIds: [],
    });
    expect(alert.parts).toEqual([
      {
        kind: 'context',
        label: 'Raised by Haechi',
        points: 65,
        detail: '60 new blocks a minute; further blocks wait until the minute passes',
      },
    ]);
    const detail = (await callApi(api, 'getCase', { id: alert.caseId })) as CaseDetail;
    expect(detail.alerts.map((a) => a.id)).toEqual([alert.id]);
    await ctx.cleanup();
  });

  it('raises an alert when an enforcer circuit opens, and none when it closes', async () => {
    const ctx = await tempContext();
    const api = createHandlers(ctx);
    ctx.response.emit('circuit', { enforcer: 'fw', state: 'open', detail: 'connect ECONNREFUSED' });
    ctx.response.emit('circuit', { enforcer: 'fw', state: 'closed', detail: 'healthy again' });
    const alerts = (await callApi(api, 'listAlerts', {})) as Alert[];
    expect(alerts.map((a) => a.title)).toEqual(['Enforcer fw is down: actions wait']);
    await ctx.cleanup();
  });
});
