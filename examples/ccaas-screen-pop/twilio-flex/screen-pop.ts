// Twilio Flex → CareOS screen pop: the integration guide's handleIncomingCall(context) on the
// SDK. It adds the patient's case to the task's attributes, so the agent's Flex UI (a CRM panel,
// a task info card) shows it, then opens the screen pop. It runs server-side, where the lookup
// key is safe: a TaskRouter event callback for task.created, or a Twilio Function (the README
// shows both wired up). Never in a Flex plugin: that code runs in every agent's browser.
//
// Environment: CAREOS_LOOKUP_API_KEY (the contact centre's lookup key) and CAREOS_API_URL (leave
// unset for production CareOS).
import { LookupClient, type LookupFound } from '@careos/sdk';

// One client for every task: its cache answers a caller who rings again without a request, and
// several events for one task share one request. Found cases are kept 5 minutes and "no case" 1
// minute; after your agents create a case for a new caller, call careosLookup.invalidate(phone)
// so that the next call pops it at once.
export const careosLookup = new LookupClient();

/** The part of a Flex/TaskRouter task this needs: its attributes and a way to replace them. */
export interface FlexTask {
  attributes: { from?: string; [name: string]: unknown };
  setAttributes(attributes: Record<string, unknown>): Promise<unknown>;
}

/** What the agent's screen pop is opened with: the lookup's answer, as the seed passes it. */
export type OpenScreenPop = (data: LookupFound) => void | Promise<void>;

/**
 * Builds `handleIncomingCall(context)`. A caller without a case, or a lookup that failed, leaves
 * the task as it was: routing never waits on, or breaks because of, CareOS. The promise it
 * returns never rejects.
 */
export function createIncomingCallHandler(openScreenPop: OpenScreenPop, lookup: LookupClient = careosLookup) {
  return async function handleIncomingCall(context: { task: FlexTask }): Promise<void> {
    const { task } = context;
    const result = await lookup.byPhone(task.attributes.from ?? ''); // never rejects
    if (!result.found) {
      // The error (if any) names no phone number, so it can be logged as it is.
      if ('error' in result) console.warn('CareOS lookup failed; the task goes on without a screen pop', result.error);
      return;
    }
    try {
      // Every attribute the task already has is kept: routing and reporting depend on them.
      await task.setAttributes({
        ...task.attributes,
        caseId: result.case_id,
        patientName: result.patient.name,
        caseStatus: result.case.status,
        clinic: result.case.clinic,
        treatment: result.case.treatment,
        screenPopUrl: result.screen_pop_url,
      });
      await openScreenPop(result);
    } catch (error) {
      // TaskRouter refused the update (the task moved on, a stale revision) or the pop could not
      // be opened: the call itself is unaffected.
      console.warn('Screen pop could not be shown', error);
    }
  };
}
