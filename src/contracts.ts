import { printSchema } from 'graphql';
import type { App } from './app.js';
import { openapiDocument, openapiYaml } from './plugins/openapi.js';

/** The two public contracts as committed at the root: produced from the code, drift-tested. */
export async function renderContracts(app: App): Promise<{ 'openapi.yaml': string; 'schema.graphql': string }> {
  await app.ready();
  return {
    'openapi.yaml': openapiYaml(openapiDocument(app.swagger())),
    'schema.graphql': `${printSchema(app.graphqlSchema)}\n`,
  };
}
