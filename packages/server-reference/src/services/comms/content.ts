import { ErrorCode, ErrorText, MAX_SMS_SEGMENTS, smsSegments, type SmsSegmentInfo } from '@careos/contract';
import type { CommsConfig } from '../../config/comms-config.js';
import { DomainError } from '../../domain/errors.js';
import { commsTemplate, genericNotice, isProviderTemplate, type TemplateData } from '../../messages/comms-templates.js';

/** What a send asks for, before any recipient is looked at. */
export interface ContentRequest {
  type: 'sms' | 'email';
  subject?: string | undefined;
  body?: string | undefined;
  templateId?: string | undefined;
  /** Request-level template data (single sends). */
  dynamicData?: TemplateData | undefined;
  containsPhi?: boolean | undefined;
  onBaaMissing?: 'refuse' | 'generic_notice' | undefined;
}

/** The content every recipient gets, with the BAA gate applied. */
export interface ResolvedContent {
  subject: string | null;
  /** Null for an email a provider template renders. */
  body: string | null;
  /** Stored template id (server or provider). */
  templateId: string | null;
  containsPhi: boolean;
  /** The body is (to be) replaced by the generic secure-message notice. */
  genericNotice: boolean;
  /** SMS only: the body's encoding and segments (of the notice when it replaces the body). */
  size: SmsSegmentInfo | null;
}

/** Thrown when the BAA gate refuses a send; the caller audits it before answering 422. */
export class BaaRefusal extends DomainError {
  constructor(channel: 'sms' | 'email') {
    super(ErrorCode.BAA_REQUIRED, ErrorText.baaRequired, {
      message:
        channel === 'sms'
          ? 'Set TWILIO_HIPAA_ENABLED=true only once a BAA with Twilio is signed, or send with on_baa_missing: "generic_notice"'
          : 'Set SENDGRID_HIPAA_ENABLED=true only once a BAA covers the email provider, or send with on_baa_missing: "generic_notice"',
    });
  }
}

function unknownTemplate(message: string): DomainError {
  return new DomainError(ErrorCode.UNKNOWN_TEMPLATE, ErrorText.unknownTemplate, { message, details: [{ path: 'template_id', message }] });
}

/**
 * Resolves a send's content: the template (a server template is rendered here; a SendGrid
 * `d-…` template is left to the provider, email only), whether it carries PHI (the caller's
 * `contains_phi` or the template's flag — a caller cannot unmark a PHI template), the BAA gate
 * (refuse with {@link BaaRefusal}, or the generic notice when asked), and an SMS's size
 * (over {@link MAX_SMS_SEGMENTS} segments refused with 422 `TOO_MANY_SEGMENTS`).
 */
export function resolveContent(request: ContentRequest, config: CommsConfig): ResolvedContent {
  let subject = request.subject ?? null;
  let body = request.body ?? null;
  let templatePhi = false;
  const templateId = request.templateId ?? null;
  if (templateId !== null) {
    if (isProviderTemplate(templateId)) {
      if (request.type === 'sms') throw unknownTemplate('SendGrid templates (d-…) are for email only');
    } else {
      const template = commsTemplate(templateId);
      if (!template?.render) throw unknownTemplate(`No server template ${JSON.stringify(templateId.slice(0, 64))}; use a SendGrid template id (d-…) or a server template`);
      const rendered = template.render(request.dynamicData ?? {}, config.businessName);
      body = rendered.body;
      subject ??= rendered.subject;
      templatePhi = template.phi;
    }
  }
  const containsPhi = request.containsPhi === true || templatePhi;
  const baa = request.type === 'sms' ? config.smsHipaaEnabled : config.emailHipaaEnabled;
  const notice = containsPhi && !baa;
  if (notice && request.onBaaMissing !== 'generic_notice') throw new BaaRefusal(request.type);
  if (notice) body = genericNotice(config.businessName);
  if (request.type === 'email' && subject === null) subject = notice ? `New secure message from ${config.businessName}` : `A message from ${config.businessName}`;
  let size: SmsSegmentInfo | null = null;
  if (request.type === 'sms') {
    size = smsSegments(body ?? '');
    if (size.segments > MAX_SMS_SEGMENTS) {
      throw new DomainError(ErrorCode.TOO_MANY_SEGMENTS, ErrorText.tooManySegments, {
        message: `The body takes ${size.segments} ${size.encoding} segments; at most ${MAX_SMS_SEGMENTS} are sent. Shorten it or send an email.`,
        details: [{ path: 'body', message: `${size.segments} segments (${size.encoding}, ${size.units} units)` }],
      });
    }
  }
  return { subject: request.type === 'email' ? subject : null, body, templateId, containsPhi, genericNotice: notice, size };
}
