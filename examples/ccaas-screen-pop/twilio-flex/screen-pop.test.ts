// Runs handleIncomingCall against the reference server and its demo data over real HTTP, with
// the module's own client configured from the environment. The task is a plain object with
// Flex's attributes/setAttributes; a counting proxy in front of CareOS shows what reached it.
import { CareOS } from '@careos/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO, useReferenceLookup } from '../test-support/reference-server.ts';
import type { FlexTask, OpenScreenPop } from './screen-pop.ts';

const ref = useReferenceLookup();
let screenPop: typeof import('./screen-pop.ts');

/** An inbound voice task as Studio's "Send to Flex" creates it, recording attribute updates. */
function voiceTask(from: string) {
  const attributes = { from, to: '+390200000000', direction: 'inbound', call_sid: 'CA0123456789abcdef0123456789abcdef', conversations: { communication_channel: 'voice' } };
  const setAttributes = vi.fn<FlexTask['setAttributes']>(async () => undefined);
  return { task: { attributes, setAttributes }, original: structuredClone(attributes) };
}

beforeAll(async () => {
  screenPop = await import('./screen-pop.ts');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await screenPop?.careosLookup.close();
});

describe('examples/ccaas-screen-pop: Twilio Flex', () => {
  it("adds the seed's case fields to the task, keeping its attributes, then opens the screen pop", async () => {
    const { task, original } = voiceTask('+390622224444');
    const openScreenPop = vi.fn<OpenScreenPop>();
    await screenPop.createIncomingCallHandler(openScreenPop)({ task });

    expect(task.setAttributes).toHaveBeenCalledExactlyOnceWith({
      ...original,
      caseId: DEMO.caseId,
      patientName: DEMO.patientName,
      caseStatus: DEMO.caseStatus,
      clinic: DEMO.clinic,
      treatment: DEMO.treatment,
      screenPopUrl: DEMO.screenPopUrl,
    });
    expect(openScreenPop).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ found: true, case_id: DEMO.caseId, screen_pop_url: DEMO.screenPopUrl, phone_searched: '+390622224444' }),
    );
    expect(openScreenPop.mock.calls[0]?.[0].patient).toEqual({
      name: DEMO.patientName,
      phone: '+39 06 2222 4444',
      home_phone: '+39 06 2222 4444',
      cell_phone: '+39 333 222 4444',
      email: 'antonio.dorato@email.com',
    });
    // The task is updated before the pop opens, so the pop can read it.
    expect(task.setAttributes.mock.invocationCallOrder[0]).toBeLessThan(openScreenPop.mock.invocationCallOrder[0]!);
  });

  it('leaves the task untouched and opens nothing for a caller without a case', async () => {
    const { task, original } = voiceTask(DEMO.notFound);
    const openScreenPop = vi.fn<OpenScreenPop>();
    await screenPop.createIncomingCallHandler(openScreenPop)({ task });
    expect(task.setAttributes).not.toHaveBeenCalled();
    expect(openScreenPop).not.toHaveBeenCalled();
    expect(task.attributes).toEqual(original);
  });

  it('leaves the task untouched when CareOS fails, and logs why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    ref.proxy.mode = 'unavailable';
    const { task } = voiceTask('+39 02 8765 4321');
    const openScreenPop = vi.fn<OpenScreenPop>();
    await expect(screenPop.createIncomingCallHandler(openScreenPop)({ task })).resolves.toBeUndefined();
    expect(task.setAttributes).not.toHaveBeenCalled();
    expect(openScreenPop).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('lookup failed'), expect.objectContaining({ code: 'SERVER_ERROR', status: 503 }));
  });

  it('never rejects when TaskRouter refuses the update, and opens no pop for a task it could not update', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { task } = voiceTask('+390622224444');
    task.setAttributes.mockRejectedValue(new Error('Task is not in a valid state'));
    const openScreenPop = vi.fn<OpenScreenPop>();
    await expect(screenPop.createIncomingCallHandler(openScreenPop)({ task })).resolves.toBeUndefined();
    expect(openScreenPop).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith('Screen pop could not be shown', expect.objectContaining({ message: 'Task is not in a valid state' }));
  });

  it('pops a new caller’s first case at once after invalidate(), instead of the cached "no case"', async () => {
    const phone = '+39 06 5555 0101';
    const openScreenPop = vi.fn<OpenScreenPop>();
    const handleIncomingCall = screenPop.createIncomingCallHandler(openScreenPop);
    await handleIncomingCall(voiceTask(phone));
    expect(openScreenPop).not.toHaveBeenCalled();

    // The agent creates the case in the CRM (here: the sandbox's admin API).
    const { admin } = ref.careos.server.demoCredentials!;
    const ops = new CareOS({ baseURL: ref.careos.server.url, staffEmail: admin.email, staffPassword: admin.password });
    const created = await ops.admin.lookup.cases.create({ patient: { name: 'Chiara Conti', phone }, status: 'NUOVO', clinic: DEMO.clinic, treatment: 'LASIK Consultation' });
    await ops.close();

    // The caller rings back within a minute: "no case" is still cached, CareOS is not asked.
    const before = ref.proxy.lookups;
    const again = voiceTask(phone);
    await handleIncomingCall(again);
    expect(ref.proxy.lookups).toBe(before);
    expect(again.task.setAttributes).not.toHaveBeenCalled();

    // What the CRM's "case created" hook should do.
    expect(screenPop.careosLookup.invalidate(phone)).toBe(true);
    const third = voiceTask(phone);
    await handleIncomingCall(third);
    expect(third.task.setAttributes).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ caseId: created.case_id, patientName: 'Chiara Conti', caseStatus: 'NUOVO', treatment: 'LASIK Consultation' }),
    );
    expect(openScreenPop).toHaveBeenCalledOnce();
  });
});
