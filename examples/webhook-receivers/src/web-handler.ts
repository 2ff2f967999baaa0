// A Fetch-style handler (Request in, Response out), as used by Next.js route handlers, Hono,
// Cloudflare Workers, Deno and Bun. It imports the web entry, which needs only Web Crypto.
// Start it on Node: CAREOS_WEBHOOK_SECRET=whsec_… node src/web-handler.ts
import { fileURLToPath } from 'node:url';
import { verifyRequest, WebhookVerificationError } from '@careos/webhook-verifier/web';
import { logEvent, secretsFromEnv, type CareOSEvent, type OnEvent } from './event.ts';
import { serveFetchHandler } from './serve-fetch-handler.ts';

export function createWebhookHandler(secrets: string | string[], onEvent: OnEvent): (request: Request) => Promise<Response> {
  return async (request) => {
    let webhook;
    try {
      webhook = await verifyRequest<CareOSEvent>(request, secrets);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return Response.json({ error: error.message, code: error.code }, { status: 400 });
    }
    await onEvent(webhook);
    return new Response(null, { status: 204 });
  };
}

// In Next.js (app/webhooks/careos/route.ts) the whole file is:
//   export const POST = createWebhookHandler(process.env.CAREOS_WEBHOOK_SECRET!, handleEvent);
// In Hono: app.post('/webhooks/careos', (c) => handler(c.req.raw)).
// In a Worker or Deno.serve/Bun.serve: the handler is the fetch function.

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  serveFetchHandler(createWebhookHandler(secretsFromEnv(), logEvent)).listen(port, () => console.log(`Receiving CareOS webhooks on http://localhost:${port}/`));
}
