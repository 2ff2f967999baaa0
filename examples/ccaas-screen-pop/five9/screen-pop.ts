// Five9 → CareOS screen pop: the integration guide's onCallReceived(callData) on the SDK. It runs
// in your Node service that hears about Five9 calls (a web connector posting @Call.ANI@, or
// your Five9 event integration), not in the agent's browser: the lookup key must never reach a
// desktop. five9.screenPop is however that service opens the pop on the agent's desktop.
//
// Environment: CAREOS_LOOKUP_API_KEY (the contact centre's lookup key) and CAREOS_API_URL (leave
// unset for production CareOS).
import { LookupClient, type CountryCode } from '@careos/sdk';

/**
 * The country of your contact centre's lines. Five9 passes the ANI as the carrier delivered it:
 * often national digits without a country code (`0622224444`), sometimes the country code
 * without `+` (`390622224444`), `00` or `+` international. The SDK reads national numbers in
 * this country, so every form finds the patient (and shares one cache entry).
 */
const CONTACT_CENTRE_COUNTRY: CountryCode = 'IT';

// One client for the whole service: its cache answers a caller who rings again without a
// request (5 minutes for a case, 1 minute for "no case"), whatever form the ANI came in.
export const careosLookup = new LookupClient({ defaultCountry: CONTACT_CENTRE_COUNTRY });

/** The seed's screen-pop payload. */
export interface Five9ScreenPop {
  url: string;
  data: { caseId: string; patientName: string; caseStatus: string; clinic: string | null; treatment: string | null };
}

/** How your service opens a screen pop on the agent's Five9 desktop. */
export interface Five9Desktop {
  screenPop(pop: Five9ScreenPop): void | Promise<void>;
}

/** What Five9 tells you about a call: `ani` is the caller's number (Automatic Number Identification). */
export interface Five9CallData {
  ani: string;
}

/**
 * Builds `onCallReceived(callData)`. No case, or no answer from CareOS, opens nothing: the agent
 * takes the call as usual. The promise it returns never rejects.
 */
export function createCallReceivedHandler(five9: Five9Desktop, lookup: LookupClient = careosLookup) {
  return async function onCallReceived(callData: Five9CallData): Promise<void> {
    const result = await lookup.byPhone(callData.ani); // never rejects
    if (!result.found) {
      // A withheld ANI ("Anonymous") is INVALID_PHONE here, answered without any request.
      // The error names no phone number, so it can be logged as it is.
      if ('error' in result) console.warn('CareOS lookup failed; the call goes on without a screen pop', result.error);
      return;
    }
    try {
      await five9.screenPop({
        url: result.screen_pop_url,
        data: {
          caseId: result.case_id,
          patientName: result.patient.name,
          caseStatus: result.case.status,
          clinic: result.case.clinic,
          treatment: result.case.treatment,
        },
      });
    } catch (error) {
      console.warn('Screen pop could not be shown', error);
    }
  };
}
