import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../config.js';
import type { WebhookRow } from './webhooks.repository.js';
import { storableText } from '../shared/storable-text.js';
import { checkResolved, guardedLookup, RefusedTarget } from './target-safety.js';

// One attempt of one delivery, as the Standard Webhooks specification has it: headers
// webhook-id (the event's id, the same on every attempt), webhook-timestamp (this attempt's, in
// seconds) and webhook-signature (`v1,<base64 HMAC-SHA256>`, one per secret valid now, space
// separated, so a receiver holding either secret of a rotation verifies).

/** Of a response, at most this much is kept. */
const KEPT_RESPONSE_BYTES = 1024;

export interface Attempt {
  ok: boolean;
  status: number | null;
  body: string | null;
  durationMs: number;
  error: string | null;
}

/** What sending takes from the configuration. */
export type SenderSettings = Pick<Config, 'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_ALLOW_PRIVATE'>;

interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

/** A delivery's body, as Standard Webhooks has it: the type, when, and what happened. */
export const webhookBody = (type: string, data: unknown, timestamp = new Date().toISOString()) => ({ type, timestamp, data });

/** The secrets that sign now: the current one, and the one before it during its overlap. */
export const signingSecrets = (row: Pick<WebhookRow, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now = new Date()): string[] =>
  row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? [row.secret, row.previousSecret] : [row.secret];

/** One attempt of a delivery to a subscription: its URL, signed with every secret that signs now; never throws. */
export const deliver = (hook: WebhookRow, eventId: string, payload: unknown, settings: SenderSettings): Promise<Attempt> =>
  send(hook.url, eventId, JSON.stringify(payload), signingSecrets(hook), { timeoutMs: settings.WEBHOOK_TIMEOUT_MS, allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE });

/** `webhook-signature`: a signature per secret. */
function signatures(secrets: string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/** POSTs `body` to `url`, signed with each of `secrets`; never throws. */
async function send(url: string, id: string, body: string, secrets: string[], options: SendOptions): Promise<Attempt> {
  const started = performance.now();
  const done = (fields: Omit<Attempt, 'durationMs'>): Attempt => ({ ...fields, durationMs: Math.round(performance.now() - started) });
  try {
    const target = new URL(url);
    // An address written in the URL is never looked up: it is checked here.
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) await checkResolved(host, options.allowPrivate);
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'informational-interviews-webhooks/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures(secrets, id, at, body),
    };
    const { status, kept } = await post(target, headers, body, options);
    const ok = status >= 200 && status < 300;
    return done({ ok, status, body: kept, error: ok ? null : `answered ${status}` });
  } catch (err) {
    const message = err instanceof RefusedTarget ? `refused: ${err.message}` : err instanceof Error ? err.message : String(err);
    return done({ ok: false, status: null, body: null, error: storableText(message).slice(0, 500) });
  }
}

function post(target: URL, headers: Record<string, string>, body: string, options: SendOptions): Promise<{ status: number; kept: string }> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(options.allowPrivate), timeout: options.timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // Only the first KB is kept; the rest is read and dropped, so the socket ends cleanly.
          if (size < KEPT_RESPONSE_BYTES) chunks.push(chunk.subarray(0, KEPT_RESPONSE_BYTES - size));
          size += chunk.length;
        });
        response.on('end', () => {
          clearTimeout(overall);
          resolve({ status: response.statusCode ?? 0, kept: storableText(Buffer.concat(chunks).toString('utf8')) });
        });
        response.on('error', reject);
      },
    );
    // The whole attempt, answer included, within the timeout (the socket timeout is idle time only).
    const overall = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (err) => {
      clearTimeout(overall);
      reject(err);
    });
    request.end(body);
  });
}
