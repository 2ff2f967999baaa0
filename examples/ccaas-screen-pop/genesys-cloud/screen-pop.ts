// Genesys Cloud → CareOS screen pop: the integration guide's handleIncomingCall(callData) on the
// SDK. It runs in your Node service that hears about calls from Genesys Cloud (a Notifications
// API subscription to the agent's or queue's conversations, or the EventBridge integration), not
// in the agent's browser: the lookup key must never reach a desktop. openScreenPop and
// showNewLeadForm are however that service reaches the agent (your Client App, a CRM push...).
//
// Environment: CAREOS_LOOKUP_API_KEY (the contact centre's lookup key) and CAREOS_API_URL (leave
// unset for production CareOS).
import { LookupClient } from '@careos/sdk';

// One client for the whole service: its cache answers a caller who rings again without a request
// (5 minutes for a case, 1 minute for "no case"), and concurrent events for one call share one
// request. staleOnError: while CareOS cannot be reached, a caller whose case was looked up in
// the last 30 minutes is still popped with that answer, rather than not at all.
export const careosLookup = new LookupClient({ cache: { staleOnError: 30 * 60_000 } });

/** What the agent sees: the seed's screen-pop fields. */
export interface ScreenPop {
  caseId: string;
  patientName: string;
  caseStatus: string;
  clinic: string | null;
  treatment: string | null;
  screenPopUrl: string;
}

/** How your service reaches the agent's desktop. */
export interface AgentDesktop {
  openScreenPop(pop: ScreenPop): void | Promise<void>;
  showNewLeadForm(phoneNumber: string): void | Promise<void>;
}

/** The caller's side of a Genesys Cloud call: `from` is the participant's address, e.g. `tel:+390622224444`. */
export interface GenesysCallData {
  from: string;
}

/**
 * Builds `handleIncomingCall(callData)`. The promise it returns never rejects: it is called
 * from an event listener, where a rejection nobody handles would take the Node process (and
 * every other call's pop) down with it.
 */
export function createIncomingCallHandler(desktop: AgentDesktop, lookup: LookupClient = careosLookup) {
  return async function handleIncomingCall(callData: GenesysCallData): Promise<void> {
    // Any common shape works as it comes: tel:/sip: URIs, spaces, 00 for +. Never throws.
    const result = await lookup.byPhone(callData.from);
    try {
      if (result.found) {
        await desktop.openScreenPop({
          caseId: result.case_id,
          patientName: result.patient.name,
          caseStatus: result.case.status,
          clinic: result.case.clinic,
          treatment: result.case.treatment,
          screenPopUrl: result.screen_pop_url,
        });
      } else if ('error' in result) {
        // CareOS did not answer: the agent takes the call without a pop and searches the CRM.
        // No new-lead form, which would invite a duplicate of a patient who may well have a case.
        // The error names no phone number, so it can be logged as it is.
        console.warn('CareOS lookup failed; the call goes on without a screen pop', result.error);
      } else {
        // No case for this number: a new lead. `phone` is the number in E.164, as CareOS searched it.
        await desktop.showNewLeadForm(result.phone);
      }
    } catch (error) {
      // The desktop could not be reached (agent offline, socket closed): the call still goes on.
      console.warn('Screen pop could not be shown', error);
    }
  };
}
