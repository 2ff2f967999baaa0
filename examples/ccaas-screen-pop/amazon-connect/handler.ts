// Amazon Connect → CareOS screen pop: a Lambda function for the contact flow's "AWS Lambda
// function" block. What it returns becomes $.External.* in the flow: branch on
// $.External.caseFound, copy the rest to contact attributes with "Set contact attributes", and
// the agent's workspace shows the case (screenPopUrl opens it in the CRM).
//
// Lambda environment: CAREOS_LOOKUP_API_KEY (the contact centre's lookup key; keep it in Secrets
// Manager or an encrypted variable) and CAREOS_API_URL (leave unset for production CareOS).
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { LookupClient } from '@careos/sdk';

// One client per Lambda container, created outside the handler: warm invocations share its cache
// (a caller who rings again within 5 minutes is popped without a request to CareOS) and its
// keep-alive connection (no new TLS handshake per call). The SDK gives each lookup 2 s in all.
const lookup = new LookupClient();

/**
 * The most this function waits for CareOS. The SDK already stops at 2 s; this bounds everything
 * else too (e.g. waiting on a lookup another invocation started), well inside the 8 s a Connect
 * flow gives a Lambda, because the caller hears silence while it runs.
 */
const BUDGET_MS = 3_000;
/** Kept back from Lambda's own timeout (3 s unless configured), so the function always answers. */
const RESERVE_MS = 250;

/**
 * Connect contact attributes are a flat map of strings, so every value is a string, `caseFound`
 * included ('true' / 'false'), and a missing clinic or treatment is ''.
 */
export type ScreenPopAttributes =
  | { caseFound: 'true'; caseId: string; patientName: string; caseStatus: string; clinic: string; treatment: string; screenPopUrl: string }
  | { caseFound: 'false' }
  | { caseFound: 'false'; lookupError: string };

export const handler = async (
  event: ConnectContactFlowEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<ScreenPopAttributes & ConnectContactFlowResult> => {
  // A flow parameter wins (e.g. a callback number the caller keyed in); otherwise the number
  // Connect saw. A chat or an anonymous call has none: the SDK answers INVALID_PHONE without
  // sending anything, and the flow goes on as for any failed lookup.
  const phone = event.Details?.Parameters?.CustomerPhoneNumber || event.Details?.ContactData?.CustomerEndpoint?.Address || '';
  const remaining = context?.getRemainingTimeInMillis() ?? Infinity;
  const budget = Math.max(0, Math.min(BUDGET_MS, remaining - RESERVE_MS));

  // Never rejects: a timeout, a refused connection, a 401 or a 5xx resolves { found: false, error }.
  const result = await lookup.byPhone(phone, { signal: AbortSignal.timeout(budget) });

  if (result.found) {
    return {
      caseFound: 'true',
      caseId: result.case_id,
      patientName: result.patient.name,
      caseStatus: result.case.status,
      clinic: result.case.clinic ?? '',
      treatment: result.case.treatment ?? '',
      screenPopUrl: result.screen_pop_url,
    };
  }
  if ('error' in result) {
    // Fail open: the call goes on to an agent without a pop. The error names no phone number, so
    // it can go to CloudWatch as it is; its code is what the flow sees.
    console.warn('CareOS lookup failed', result.error);
    return { caseFound: 'false', lookupError: result.error.code };
  }
  // No case: the flow can route to new-patient handling. The API's message only repeats the
  // caller's number, which Connect already has, so it is not copied into the contact's attributes.
  return { caseFound: 'false' };
};
