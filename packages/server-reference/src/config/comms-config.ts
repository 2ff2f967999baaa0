/**
 * The BAA gate and the generic notice (`TWILIO_HIPAA_ENABLED`, `SENDGRID_HIPAA_ENABLED`,
 * `CAREOS_BUSINESS_NAME`). A flag says a Business Associate Agreement covers that provider; it
 * is the operator's statement, not something the server can check.
 */
export interface CommsConfig {
  /** PHI may go by SMS (a BAA with Twilio is signed). Default false. */
  smsHipaaEnabled: boolean;
  /** PHI may go by email (a BAA with the email provider is signed). Default false. */
  emailHipaaEnabled: boolean;
  /** Named in the generic secure-message notice (default `CareOS`). */
  businessName: string;
}

/** Reads a boolean flag: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`; anything else is a problem. */
export function readFlag(read: (name: string) => string | undefined, name: string, problems: string[]): boolean {
  const raw = read(name)?.toLowerCase();
  if (raw === undefined) return false;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false`);
  return false;
}

/** Reads the communications settings; problems are appended to `problems`. */
export function readCommsConfig(read: (name: string) => string | undefined, problems: string[]): CommsConfig {
  const businessName = read('CAREOS_BUSINESS_NAME') ?? 'CareOS';
  if (businessName.length > 60) problems.push('CAREOS_BUSINESS_NAME must be at most 60 characters');
  return {
    smsHipaaEnabled: readFlag(read, 'TWILIO_HIPAA_ENABLED', problems),
    emailHipaaEnabled: readFlag(read, 'SENDGRID_HIPAA_ENABLED', problems),
    businessName,
  };
}
