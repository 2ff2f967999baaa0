// Runs handleIncomingCall against the reference server and its demo data over real HTTP, with
// the module's own client configured from the environment as in production. The agent desktop
// is two recording functions; a counting proxy in front of CareOS shows what reached it.
import { LookupClient } from '@careos/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPortURL, DEMO, useReferenceLookup } from '../test-support/reference-server.ts';
import type { AgentDesktop, ScreenPop } from './screen-pop.ts';

const ref = useReferenceLookup();
let screenPop: typeof import('./screen-pop.ts');

/** The seed's screen pop for case "9", field for field. */
const CASE_9: ScreenPop = {
  caseId: DEMO.caseId,
  patientName: DEMO.patientName,
  caseStatus: DEMO.caseStatus,
  clinic: DEMO.clinic,
  treatment: DEMO.treatment,
  screenPopUrl: DEMO.screenPopUrl,
};

/**
 * Moves the faked performance.now() on. The cache reads that clock at most once a millisecond
 * (lru-cache's ttlResolution, on a real timer), so a few real milliseconds pass too.
 */
async function minutesPass(minutes: number): Promise<void> {
  vi.advanceTimersByTime(minutes * 60_000);
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/** An agent desktop that records what it was asked to show. */
function desktop() {
  return { openScreenPop: vi.fn<AgentDesktop['openScreenPop']>(), showNewLeadForm: vi.fn<AgentDesktop['showNewLeadForm']>() };
}

beforeAll(async () => {
  screenPop = await import('./screen-pop.ts');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await screenPop?.careosLookup.close();
});

describe('examples/ccaas-screen-pop: Genesys Cloud', () => {
  it("pops the seed's fields for a caller with a case, from the tel: address Genesys gives", async () => {
    const agent = desktop();
    await screenPop.createIncomingCallHandler(agent)({ from: 'tel:+390622224444' });
    expect(agent.openScreenPop).toHaveBeenCalledExactlyOnceWith(CASE_9);
    expect(agent.showNewLeadForm).not.toHaveBeenCalled();
  });

  it("pops case 9 for every shape of the seed's number, with one request to CareOS", async () => {
    // A client of its own, so that no earlier test has cached the number.
    const lookup = new LookupClient({ apiKey: ref.careos.apiKey, baseURL: ref.proxy.url });
    const before = ref.proxy.lookups;
    const agent = desktop();
    const handleIncomingCall = screenPop.createIncomingCallHandler(agent, lookup);
    for (const from of ['+39 06 2222 4444', '+390622224444', '0039 06 2222 4444']) await handleIncomingCall({ from });
    await lookup.close();
    expect(agent.openScreenPop.mock.calls).toEqual([[CASE_9], [CASE_9], [CASE_9]]);
    expect(ref.proxy.lookups - before).toBe(1); // the cache is keyed by E.164: one number, one request
  });

  it('shows the new-lead form with the number in E.164 for a caller without a case', async () => {
    const agent = desktop();
    await screenPop.createIncomingCallHandler(agent)({ from: DEMO.notFound });
    expect(agent.showNewLeadForm).toHaveBeenCalledExactlyOnceWith('+391234567890');
    expect(agent.openScreenPop).not.toHaveBeenCalled();
  });

  it('lets the call go on with neither pop nor form when CareOS is down, and logs why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lookup = new LookupClient({ apiKey: ref.careos.apiKey, baseURL: await closedPortURL() });
    const agent = desktop();
    await expect(screenPop.createIncomingCallHandler(agent, lookup)({ from: 'tel:+390622224444' })).resolves.toBeUndefined();
    await lookup.close();
    expect(agent.openScreenPop).not.toHaveBeenCalled();
    expect(agent.showNewLeadForm).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('lookup failed'), expect.objectContaining({ code: 'CONNECTION_ERROR' }));
  });

  it('never rejects when the desktop cannot show the pop', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const agent = desktop();
    agent.openScreenPop.mockRejectedValue(new Error('agent socket closed'));
    await expect(screenPop.createIncomingCallHandler(agent)({ from: '+390622224444' })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('Screen pop could not be shown', expect.objectContaining({ message: 'agent socket closed' }));
  });

  it('keeps popping a caller looked up in the last 30 minutes while CareOS fails, then stops', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // The cache's clock is performance.now(): moving it stands in for minutes passing. A faked
    // clock starts at 0, which no real process shows (and the cache would read as "no time").
    vi.useFakeTimers({ toFake: ['performance'] });
    await minutesPass(1);
    const agent = desktop();
    const handleIncomingCall = screenPop.createIncomingCallHandler(agent);
    const marco = '+39 011 456 7890'; // the demo's shared home phone: Laura Bianchi's case 7 is the most recent
    await handleIncomingCall({ from: marco });
    const popped = agent.openScreenPop.mock.calls[0]?.[0];
    expect(popped).toMatchObject({ caseId: '7', patientName: 'Laura Bianchi' });

    ref.proxy.mode = 'unavailable';
    await minutesPass(6); // past the 5-minute TTL: the answer must be refreshed, and the refresh fails
    const before = ref.proxy.lookups;
    await handleIncomingCall({ from: marco });
    expect(ref.proxy.lookups).toBeGreaterThan(before); // CareOS was asked, and failed
    expect(agent.openScreenPop.mock.calls[1]?.[0]).toEqual(popped); // yet the agent still got the pop

    await minutesPass(30); // past the stale-on-error window: no answer to fall back on
    await handleIncomingCall({ from: marco });
    expect(agent.openScreenPop).toHaveBeenCalledTimes(2);
    expect(agent.showNewLeadForm).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledExactlyOnceWith(expect.stringContaining('lookup failed'), expect.objectContaining({ code: 'SERVER_ERROR', status: 503 }));
  });
});
