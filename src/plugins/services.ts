import fp from 'fastify-plugin';
import { createServices } from '../modules/index.js';

/** The services both adapters call, one per module of the registry, built once over the app's database. */
export default fp(
  async (app) => {
    app.decorate('services', createServices(app.database.db));
  },
  { name: 'services', dependencies: ['database'] },
);
