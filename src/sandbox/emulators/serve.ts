// SPDX-License-Identifier: EUPL-1.2
/**
 * Starts both emulators in their own process, for the sandbox demo and multi-process tests:
 *   node bin/run-ts.js src/sandbox/emulators/serve.ts --x-port 4010 --graph-port 4020 [--pages '[{"id":"1","name":"P","token":"t"}]']
 * Prints one JSON line {"x":"http://…","graph":"http://…"} when both listen; drive them through /__control/.
 */
import { parseArgs } from 'node:util';
import { startXEmulator } from '../../channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphPage } from '../../channels/facebook/emulator.ts';

const { values } = parseArgs({
  options: {
    'x-port': { type: 'string', default: '0' },
    'graph-port': { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    pages: { type: 'string' },
  },
});

const host = values.host;
const x = await startXEmulator({ port: Number(values['x-port']), host });
const graph = await startGraphEmulator({ port: Number(values['graph-port']), host, pages: values.pages ? (JSON.parse(values.pages) as GraphPage[]) : [] });
process.stdout.write(JSON.stringify({ x: x.url, graph: graph.url }) + '\n');

const stop = () => { void Promise.all([x.close(), graph.close()]).then(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
