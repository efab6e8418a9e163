export { CaseService, NotFoundError, groupKeyOf, DEFAULT_WINDOW_MS } from './service';
export type { CaseUpdate, CaseServiceOptions } from './service';
export { AlertStore, alertTimeMs } from './alerts';
export { EventArchive } from './evidence';
export { extractObservables, mergeObservables, usefulIp } from './observables';
