import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fp from 'fastify-plugin';
import { graphiqlEnabled, type Config } from '../config.js';
import { AppError } from '../errors.js';

// GraphiQL at /graphiql, served whole by this process: its page, its script and React come
// from the npm packages (graphiql, react, react-dom), never from a CDN, so it works on a
// machine with no way out and asks the browser to trust no other origin. The page is public
// (a browser cannot send a key to open it); the key goes in GraphiQL's headers pane.

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The only files served under /graphiql/assets/: name → where the package keeps it. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': { file: () => join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.production.min.js': { file: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.min.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

// Our own start script, a file of its own so that the policy below needs no inline script.
const START = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
const example = '# Put your key in Headers below: {"Authorization": "Bearer iik_…"}\\n{\\n  viewer { tenant { name } apiKey { scopes } }\\n}\\n';
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: example, shouldPersistHeaders: true, isHeadersEditorEnabled: true }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>GraphiQL · Informational Interviews API</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.production.min.js"></script>
  <script src="/graphiql/assets/react-dom.production.min.js"></script>
  <script src="/graphiql/assets/graphiql.min.js"></script>
  <script src="/graphiql/assets/start.js"></script>
</body>
</html>
`;

// This origin only: GraphiQL's editors style themselves inline and draw icons as data: URLs.
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export default fp<{ config: Config }>(
  async (app, { config }) => {
    if (!graphiqlEnabled(config)) return;
    const cached = new Map<string, Promise<Buffer>>();
    app.get('/graphiql', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', POLICY).header('cache-control', 'no-cache').send(PAGE),
    );
    app.get('/graphiql/assets/start.js', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(START),
    );
    app.get<{ Params: { name: string } }>('/graphiql/assets/:name', { schema: { hide: true } }, async (request, reply) => {
      // A name of the list, never a path: nothing else of the disk is reachable from here.
      const asset = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name]! : null;
      if (!asset) throw new AppError('not_found', `GraphiQL has no file ${request.params.name}.`);
      if (!cached.has(request.params.name)) {
        // A failed read is not kept: the next request tries the disk again.
        const reading = readFile(asset.file());
        reading.catch(() => cached.delete(request.params.name));
        cached.set(request.params.name, reading);
      }
      return reply
        .type(`${asset.type}; charset=utf-8`)
        .header('cache-control', 'public, max-age=86400')
        .send(await cached.get(request.params.name)!);
    });
  },
  { name: 'graphiql' },
);
