#!/usr/bin/env node
// SPDX-License-Identifier: EUPL-1.2
// `npm start`: the sandbox demo (local emulators, sample feed, dashboard on http://127.0.0.1:3000).
import { register } from 'tsx/esm/api';
register();
await import('../src/sandbox/demo.ts');
