// Whether the built app (out/) is missing or older than its sources; shared by `npm start` and
// `npm run test:e2e`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under a folder (bounded: source trees only). */
function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when one of the `built` files (relative to `root`) is missing, or a file under one of the
 * `sources` folders that exist is newer than the oldest of them. */
export function needsBuild(root, built, sources) {
  const files = built.map((p) => join(root, p));
  if (!files.every((p) => existsSync(p))) return true;
  const builtAt = Math.min(...files.map((p) => statSync(p).mtimeMs));
  return sources.map((p) => join(root, p)).some((s) => existsSync(s) && newest(s) > builtAt);
}
