// The feed and intel part of the API (src/shared/api/feed.ts), bound to a FeedManager and an
// IntelStore. The app's api.ts spreads these into its handlers.
import type { feedMethods } from '../../shared/api/feed';
import type { OutputOf, ParsedInputOf } from '../../shared/api/contract';
import { importIntel } from '../engine/intel/formats';
import type { IntelStore } from '../engine/intel/store';
import type { FeedManager } from './manager';

type FeedMethods = typeof feedMethods;
export type FeedHandlers = {
  [K in keyof FeedMethods]: (
    input: ParsedInputOf<FeedMethods[K]>,
  ) => Promise<OutputOf<FeedMethods[K]>>;
};

export function feedHandlers(deps: { feed: FeedManager; intel: IntelStore }): FeedHandlers {
  const { feed, intel } = deps;
  return {
    listSources: async () => feed.list(),
    saveSource: async (config) => feed.save(config),
    removeSource: async ({ id }) => ({ removed: await feed.remove(id) }),
    startSource: async ({ id }) => feed.start(id),
    stopSource: async ({ id }) => feed.stop(id),
    listQuarantine: async ({ limit }) => feed.listQuarantine(limit),
    listIndicators: async ({ q, limit }) => intel.list(q, limit),
    importIntel: async ({ name, content }) => {
      const imported = importIntel(name, content);
      const upserted = intel.upsert(imported.indicators);
      return {
        added: upserted.added,
        updated: upserted.updated,
        rejected: imported.errors.length,
        errors: imported.errors,
      };
    },
  };
}
