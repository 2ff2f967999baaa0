import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookUrlPolicy } from '../services/webhooks/url-policy.js';
import { guardedConnector, postWebhook } from './webhook-request.js';

describe('postWebhook with a URL policy', () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(204).end();
  });
  let port = 0;

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (policy: WebhookUrlPolicy, url: string, agent = new Agent({ connect: guardedConnector(policy) })) => {
    try {
      return await postWebhook(agent, url, '{}', { 'content-type': 'application/json' }, 2000, policy);
    } finally {
      await agent.close();
    }
  };

  it('delivers to a loopback receiver when loopback is allowed', async () => {
    const outcome = await post(new WebhookUrlPolicy({ requireHttps: false, allowPrivate: 'loopback' }), `http://127.0.0.1:${port}/ok`);
    expect(outcome).toMatchObject({ statusCode: 204, error: null });
    expect(requests).toContain('/ok');
  });

  it('refuses a literal address, and plain http, before connecting, as a permanent failure', async () => {
    const production = new WebhookUrlPolicy({ requireHttps: true, allowPrivate: 'none' });
    expect(await post(production, `http://127.0.0.1:${port}/literal`)).toMatchObject({ statusCode: null, permanent: true, error: 'Refused: 127.0.0.1 is a loopback address; webhooks go only to public addresses (see CAREOS_WEBHOOK_ALLOW_PRIVATE)' });
    expect(await post(production, `http://example.test:${port}/plain`)).toMatchObject({ permanent: true, error: 'Refused: Use an https:// URL: plain http is refused in production' });
    // Without the URL check, the connector alone still refuses the literal address.
    const agent = new Agent({ connect: guardedConnector(production) });
    const outcome = await postWebhook(agent, `http://127.0.0.1:${port}/connector`, '{}', {}, 2000).finally(() => agent.close());
    expect(outcome).toMatchObject({ permanent: true, error: expect.stringContaining('127.0.0.1 is a loopback address') });
    expect(requests.filter((r) => r !== '/ok')).toEqual([]);
  });

  it('checks the address actually connected to, whatever the resolver said', async () => {
    // A resolver that lies past the policy's own check: only the connected socket tells the truth.
    const policy = new WebhookUrlPolicy({ requireHttps: false, allowPrivate: 'none' });
    const lying: LookupFunction = (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4));
    Object.defineProperty(policy, 'connectLookup', { value: lying });
    const outcome = await post(policy, `http://receiver.test:${port}/rebound`);
    expect(outcome).toMatchObject({ statusCode: null, permanent: true, error: expect.stringContaining('127.0.0.1 is a loopback address') });
    expect(requests).not.toContain('/rebound');
  });
});
