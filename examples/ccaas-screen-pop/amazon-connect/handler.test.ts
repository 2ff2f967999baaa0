// Runs the Lambda handler as Lambda would (module loaded once per container, configured by
// environment variables) against the reference server and its demo data, over real HTTP. A
// counting proxy in front of CareOS shows which invocations reached it.
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPortURL, DEMO, startReferenceCareOS, useReferenceLookup } from '../test-support/reference-server.ts';
import type { handler as Handler } from './handler.ts';

const ref = useReferenceLookup();
let handler: typeof Handler;

/** A fresh Lambda container: the module (and its LookupClient) loaded anew with this environment. */
async function coldStart(env: { CAREOS_API_URL: string; CAREOS_LOOKUP_API_KEY: string }): Promise<typeof Handler> {
  vi.resetModules();
  vi.stubEnv('CAREOS_API_URL', env.CAREOS_API_URL);
  vi.stubEnv('CAREOS_LOOKUP_API_KEY', env.CAREOS_LOOKUP_API_KEY);
  return (await import('./handler.ts')).handler;
}

/** The event an inbound voice contact sends to the flow's Lambda block. */
function connectEvent({ address, parameters = {} }: { address: string | null; parameters?: Record<string, string> }): ConnectContactFlowEvent {
  const endpoint = (value: string) => ({ Address: value, Type: 'TELEPHONE_NUMBER' as const });
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: address === null ? 'CHAT' : 'VOICE',
        ContactId: '4a573372-1f28-4e26-b97b-5e0c0f1a2b3c',
        CustomerEndpoint: address === null ? null : endpoint(address),
        InitialContactId: '4a573372-1f28-4e26-b97b-5e0c0f1a2b3c',
        InitiationMethod: 'INBOUND',
        InstanceARN: 'arn:aws:connect:eu-west-1:123456789012:instance/00000000-0000-0000-0000-000000000000',
        PreviousContactId: '4a573372-1f28-4e26-b97b-5e0c0f1a2b3c',
        Queue: null,
        SystemEndpoint: endpoint('+390200000000'),
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
  };
}

/** Runs one invocation, with `remainingMs` as Lambda's time left when given. */
function invoke(run: typeof Handler, event: ConnectContactFlowEvent, remainingMs?: number) {
  return run(event, remainingMs === undefined ? undefined : { getRemainingTimeInMillis: () => remainingMs });
}

beforeAll(async () => {
  handler = await coldStart({ CAREOS_API_URL: ref.proxy.url, CAREOS_LOOKUP_API_KEY: ref.careos.apiKey });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('examples/ccaas-screen-pop: Amazon Connect Lambda', () => {
  it("returns the demo case as a flat map of strings, the only shape a flow's contact attributes take", async () => {
    const attributes = await invoke(handler, connectEvent({ address: '+390622224444' }));
    expect(attributes).toEqual({
      caseFound: 'true',
      caseId: DEMO.caseId,
      patientName: DEMO.patientName,
      caseStatus: DEMO.caseStatus,
      clinic: DEMO.clinic,
      treatment: DEMO.treatment,
      screenPopUrl: DEMO.screenPopUrl,
    });
    for (const value of Object.values(attributes)) expect(typeof value).toBe('string');
  });

  it("prefers the seed's CustomerPhoneNumber parameter over the number Connect saw", async () => {
    const event = connectEvent({ address: DEMO.notFound, parameters: { CustomerPhoneNumber: DEMO.found } });
    expect((await invoke(handler, event))).toMatchObject({ caseFound: 'true', caseId: DEMO.caseId });
  });

  it("answers caseFound 'false' and nothing else for a caller without a case", async () => {
    expect((await invoke(handler, connectEvent({ address: DEMO.notFound })))).toEqual({ caseFound: 'false' });
  });

  it('answers a warm invocation for the same caller from the container’s cache, in any shape of the number', async () => {
    const giulia = '+390287654321'; // another demo patient, looked up by no other test
    const before = ref.proxy.lookups;
    const first = await invoke(handler, connectEvent({ address: giulia }));
    expect(ref.proxy.lookups - before).toBe(1);
    expect(first).toMatchObject({ caseFound: 'true', caseId: '10', patientName: 'Giulia Romano' });

    const again = await invoke(handler, connectEvent({ address: giulia }));
    const respelled = await invoke(handler, connectEvent({ address: DEMO.notFound, parameters: { CustomerPhoneNumber: '+39 02 8765 4321' } }));
    expect(again).toEqual(first);
    expect(respelled).toEqual(first);
    expect(ref.proxy.lookups - before).toBe(1); // CareOS saw one request for three invocations
  });

  it('fails open at once when CareOS is down: no throw, caseFound false and the reason for the flow', async () => {
    const down = await coldStart({ CAREOS_API_URL: await closedPortURL(), CAREOS_LOOKUP_API_KEY: ref.careos.apiKey });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const attributes = await invoke(down, connectEvent({ address: '+390622224444' }));
    // A refused connection is not waited on: one quick retry, then the answer (waiting would end as TIMEOUT).
    expect(attributes).toEqual({ caseFound: 'false', lookupError: 'CONNECTION_ERROR' });
    // What goes to CloudWatch says why, and never carries the caller's number.
    expect(warn).toHaveBeenCalledWith('CareOS lookup failed', expect.objectContaining({ code: 'CONNECTION_ERROR' }));
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/22224444/);
  });

  it('stops waiting for a CareOS that hangs after the SDK’s 2 s, inside the 3 s budget and Connect’s 8 s', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    ref.proxy.mode = 'hang';
    const attributes = await invoke(handler, connectEvent({ address: '+390817654321' }));
    // TIMEOUT is the SDK's 2 s giving up; the handler's own 3 s budget would end as ABORTED.
    expect(attributes).toEqual({ caseFound: 'false', lookupError: 'TIMEOUT' });
  });

  it('answers before Lambda’s own timeout when the invocation has less time left than the budget', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    ref.proxy.mode = 'hang';
    const attributes = await invoke(handler, connectEvent({ address: '+393284445566' }), 1_000);
    // ABORTED is the handler's deadline from Lambda's time left; the SDK's 2 s would end as TIMEOUT.
    expect(attributes).toEqual({ caseFound: 'false', lookupError: 'ABORTED' });
  });

  it('fails open with UNAUTHORIZED when the key is wrong or revoked', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const misconfigured = await coldStart({ CAREOS_API_URL: ref.careos.server.url, CAREOS_LOOKUP_API_KEY: 'lookup_live_not-a-real-key' });
    expect((await invoke(misconfigured, connectEvent({ address: '+390622224444' })))).toEqual({ caseFound: 'false', lookupError: 'UNAUTHORIZED' });
  });

  it('keeps popping cached callers when the key is over its rate limit, and fails open for the others', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const limited = await startReferenceCareOS({ CAREOS_RATE_LIMIT_LOOKUP: '2' }); // 1000 a minute in production
    try {
      const run = await coldStart({ CAREOS_API_URL: limited.server.url, CAREOS_LOOKUP_API_KEY: limited.apiKey });
      await invoke(run, connectEvent({ address: '+390622224444' }));
      await invoke(run, connectEvent({ address: DEMO.notFound })); // the key's two lookups this minute

      const over = await invoke(run, connectEvent({ address: '+390287654321' }));
      // Retry-After (a minute) is far beyond the budget: not waited for (waiting would end as ABORTED or TIMEOUT).
      expect(over).toEqual({ caseFound: 'false', lookupError: 'RATE_LIMITED' });
      expect((await invoke(run, connectEvent({ address: '+39 06 2222 4444' })))).toMatchObject({ caseFound: 'true', caseId: DEMO.caseId });
    } finally {
      await limited.close();
    }
  }, 30_000); // starts a second embedded server of its own

  it('sends nothing for a contact without a phone number (a chat) and lets the flow go on', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const before = ref.proxy.lookups;
    expect((await invoke(handler, connectEvent({ address: null })))).toEqual({ caseFound: 'false', lookupError: 'INVALID_PHONE' });
    expect(ref.proxy.lookups).toBe(before);
  });
});
