import { Transform, type Readable } from 'node:stream';

/**
 * The body as it streams, each chunk shown to `look` on its way (to count, hash or check it;
 * what `look` throws fails the stream there). The body's own error (the client left) goes on
 * to whoever reads; an error nobody reads yet (a run refused before its first row) is no crash.
 */
export function watched(body: Readable, look: (chunk: Buffer) => void): Readable {
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        look(chunk);
      } catch (err) {
        return done(err as Error);
      }
      done(null, chunk);
    },
  });
  body.once('error', (err) => through.destroy(err));
  through.on('error', () => undefined);
  return body.pipe(through);
}
