import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createServices } from '../modules/index.js';

/** The services both adapters call, one per module of the registry, built once over the app's database. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorate('services', createServices(app.database.db, config));
  },
  { name: 'services', dependencies: ['database'] },
);
