#!/usr/bin/env node
// SPDX-License-Identifier: EUPL-1.2
// The `banditore` command. It runs the TypeScript sources through tsx so that the binary works right
// after `npm ci`, with no build step for operators.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
