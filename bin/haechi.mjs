#!/usr/bin/env node
// The `haechi` command. Runs the TypeScript sources through tsx, so `npx haechi` works straight
// after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const entry = fileURLToPath(new URL('../src/main/cli/index.ts', import.meta.url));
const { main } = await import(entry);
const code = await main(process.argv.slice(2));
process.exitCode = code;
