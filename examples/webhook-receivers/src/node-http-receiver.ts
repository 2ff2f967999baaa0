// A receiver on Node's own http module, no framework: read the raw body, verify, answer.
// Start it: CAREOS_WEBHOOK_SECRET=whsec_… node src/node-http-receiver.ts
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { verifyWebhook, WebhookVerificationError } from '@careos/webhook-verifier';
import { logEvent, secretsFromEnv, type CareOSEvent, type OnEvent } from './event.ts';

const LIMIT_BYTES = 1024 * 1024;

/** The raw body as one Buffer, refusing more than `LIMIT_BYTES`. */
async function rawBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createNodeReceiver(secrets: string | string[], onEvent: OnEvent): Server {
  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/careos') return void res.writeHead(404).end();
    const body = await rawBody(req);
    if (!body) return void res.writeHead(413).end();
    let webhook;
    try {
      webhook = verifyWebhook<CareOSEvent>(body, req.headers, secrets);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: error.message, code: error.code }));
    }
    try {
      await onEvent(webhook);
      res.writeHead(204).end();
    } catch (error) {
      console.error(error);
      res.writeHead(500).end(); // CareOS retries later
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  createNodeReceiver(secretsFromEnv(), logEvent).listen(port, () => console.log(`Receiving CareOS webhooks on http://localhost:${port}/webhooks/careos`));
}
