#!/usr/bin/env node
// SPDX-License-Identifier: EUPL-1.2
// Runs one TypeScript file (benchmarks, scripts) the same way the `banditore` binary runs its sources.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
register();
const file = process.argv[2];
if (!file) { console.error('usage: run-ts FILE.ts [args...]'); process.exit(2); }
process.argv.splice(2, 1);
await import(pathToFileURL(resolve(file)).href);
