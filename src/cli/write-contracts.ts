// `npm run contracts`: rewrites openapi.yaml and schema.graphql from the code.
import { writeFileSync } from 'node:fs';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { renderContracts } from '../contracts.js';
import { openDatabase } from '../db/client.js';

// The contracts do not depend on data: an empty in-memory database is enough to build the app.
const database = await openDatabase({ dataDir: 'memory://' });
const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database });
const root = new URL('../../', import.meta.url);
for (const [file, text] of Object.entries(await renderContracts(app))) {
  writeFileSync(new URL(file, root), text);
  process.stdout.write(`wrote ${file}\n`);
}
await app.close();
await database.close();
