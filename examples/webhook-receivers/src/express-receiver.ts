// An Express app that receives CareOS webhooks on one route and serves a JSON API on the rest.
// Start it: CAREOS_WEBHOOK_SECRET=whsec_… node src/express-receiver.ts
import { fileURLToPath } from 'node:url';
import { webhookMiddleware } from '@careos/webhook-verifier/express';
import express, { type Express } from 'express';
import { logEvent, secretsFromEnv, type CareOSEvent, type OnEvent } from './event.ts';

export function createExpressReceiver(secrets: string | string[], onEvent: OnEvent): Express {
  const app = express();

  // The webhook route comes before app.use(express.json()): the signature covers the raw bytes,
  // and webhookMiddleware reads them itself. It answers 400 { error, code } when verification
  // fails, so the handler only ever sees verified deliveries.
  app.post('/webhooks/careos', webhookMiddleware(secrets), async (req, res) => {
    await onEvent({ ...req.webhook!, event: req.webhook!.event as CareOSEvent });
    res.sendStatus(204);
  });

  // The rest of the API parses JSON as usual.
  app.use(express.json());
  app.post('/api/echo', (req, res) => {
    res.json(req.body);
  });
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  createExpressReceiver(secretsFromEnv(), logEvent).listen(port, () => console.log(`Receiving CareOS webhooks on http://localhost:${port}/webhooks/careos`));
}
