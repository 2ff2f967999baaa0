// Runs onCallReceived against the reference server and its demo data over real HTTP, with the
// module's own client (its default country included) configured from the environment. five9 is
// a recording object; a counting proxy in front of CareOS shows what reached it.
import { LookupClient } from '@careos/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO, useReferenceLookup } from '../test-support/reference-server.ts';
import type { Five9Desktop } from './screen-pop.ts';

const ref = useReferenceLookup();

/** The example module loaded anew, as a service starting up: its own client and an empty cache. */
async function startService() {
  vi.resetModules();
  return import('./screen-pop.ts');
}

const five9 = () => ({ screenPop: vi.fn<Five9Desktop['screenPop']>() });

/** The seed's Five9 pop for case "9", field for field. */
const CASE_9_POP = {
  url: DEMO.screenPopUrl,
  data: { caseId: DEMO.caseId, patientName: DEMO.patientName, caseStatus: DEMO.caseStatus, clinic: DEMO.clinic, treatment: DEMO.treatment },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('examples/ccaas-screen-pop: Five9', () => {
  it('pops case 9 for the ANI in every form carriers deliver it, with one request to CareOS', async () => {
    const { createCallReceivedHandler, careosLookup } = await startService();
    const desktop = five9();
    const onCallReceived = createCallReceivedHandler(desktop);
    const anis = [
      '0622224444', // national, as most Italian carriers deliver it: read in the contact centre's country
      '06 2222 4444',
      '390622224444', // country code without "+"
      '+39 06 2222 4444', // the seed's three test spellings
      '+390622224444',
      '0039 06 2222 4444',
    ];
    const before = ref.proxy.lookups;
    for (const ani of anis) await onCallReceived({ ani });
    await careosLookup.close();

    expect(desktop.screenPop.mock.calls).toEqual(anis.map(() => [CASE_9_POP]));
    expect(ref.proxy.lookups - before).toBe(1); // one number, one request: the cache is keyed by E.164
  });

  it('opens nothing for a caller without a case', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { createCallReceivedHandler, careosLookup } = await startService();
    const desktop = five9();
    const before = ref.proxy.lookups;
    await createCallReceivedHandler(desktop)({ ani: '0123 456 7890' }); // the seed's +39 123 456 7890, nationally
    await careosLookup.close();
    expect(ref.proxy.lookups - before).toBe(1); // CareOS was asked, and answered "no case"
    expect(warn).not.toHaveBeenCalled(); // which is no failure
    expect(desktop.screenPop).not.toHaveBeenCalled();
  });

  it('sends nothing for a withheld ANI, and opens nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { createCallReceivedHandler, careosLookup } = await startService();
    const desktop = five9();
    const before = ref.proxy.lookups;
    await createCallReceivedHandler(desktop)({ ani: 'Anonymous' });
    await careosLookup.close();
    expect(ref.proxy.lookups).toBe(before);
    expect(desktop.screenPop).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('lookup failed'), expect.objectContaining({ code: 'INVALID_PHONE' }));
  });

  it('lets the call go on when CareOS refuses the key, and logs why without the number', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { createCallReceivedHandler } = await startService();
    const revoked = new LookupClient({ apiKey: 'lookup_live_revoked', baseURL: ref.careos.server.url, defaultCountry: 'IT' });
    const desktop = five9();
    await expect(createCallReceivedHandler(desktop, revoked)({ ani: '0622224444' })).resolves.toBeUndefined();
    await revoked.close();
    expect(desktop.screenPop).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('lookup failed'), expect.objectContaining({ code: 'UNAUTHORIZED', status: 401 }));
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/22224444/);
  });

  it('never rejects when the desktop cannot open the pop', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { createCallReceivedHandler, careosLookup } = await startService();
    const desktop = five9();
    desktop.screenPop.mockRejectedValue(new Error('agent not logged in'));
    await expect(createCallReceivedHandler(desktop)({ ani: '0622224444' })).resolves.toBeUndefined();
    await careosLookup.close();
    expect(desktop.screenPop).toHaveBeenCalledExactlyOnceWith(CASE_9_POP);
    expect(warn).toHaveBeenCalledWith('Screen pop could not be shown', expect.objectContaining({ message: 'agent not logged in' }));
  });
});
