// The response domain of the API (src/shared/api/response.ts), over a ResponseService. Inputs
// arrive already validated by the boundary (IPC or WebSocket).
import type { ParsedInputOf, OutputOf } from '../../shared/api/contract';
import type { responseMethods } from '../../shared/api/response';
import type { ResponseService } from './service';

type Methods = typeof responseMethods;
export type ResponseHandlers = {
  [K in keyof Methods]: (input: ParsedInputOf<Methods[K]>) => Promise<OutputOf<Methods[K]>>;
};

export function responseHandlers(service: ResponseService): ResponseHandlers {
  return {
    listActions: async (i) => service.listActions({ limit: i.limit, state: i.state }),
    approveAction: async (i) => service.approve(i.id, i.actor ?? 'analyst'),
    rejectAction: async (i) => service.reject(i.id, i.actor ?? 'analyst', i.reason),
    rollbackAction: async (i) => service.rollback(i.id, i.actor ?? 'analyst'),
    listPlaybooks: async () => service.listPlaybooks(),
    savePlaybook: async (i) => service.savePlaybook(i.yaml),
    listEnforcers: async () => service.listEnforcers(),
    containStats: async () => service.containStats(),
    listAudit: async (i) =>
      service.audit({ caseId: i.caseId, subject: i.actionId, limit: i.limit }),
  };
}
