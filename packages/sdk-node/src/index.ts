/**
 * The official CareOS SDK for Node.js: every endpoint typed from the contract, with retries,
 * idempotency keys, timeouts, token refresh and phone encryption built in.
 *
 * @packageDocumentation
 */
import { CareOS } from './client.js';
import { CareOSIntegration } from './integration-client.js';
import { LookupClient } from './lookup-client.js';

export { CareOS, CareOSIntegration, LookupClient };
export default CareOS;

export type { ClientOptions, IntegrationClientOptions, RequestOptions, CountryCode, LookupAuth } from './core/options.js';
export type { LookupAnswer, LookupCallOptions, LookupOutcome, LookupStats } from './lookup-client.js';
export type { LookupBehaviour, LookupCacheOptions, LookupClientOptions } from './lookup/options.js';
export { LookupNotConfiguredError, type LookupFailure, type LookupFailureCode, type LookupFailureInfo } from './lookup/failure.js';
export { ENV_VARS, DEFAULT_BASE_URL } from './core/options.js';
export type { AttemptInfo, GiveUpInfo, GiveUpReason, Hooks } from './core/hooks.js';
export type { Logger, LogLevel, LogFields } from './core/logger.js';
export { redact, redactString, REDACTED } from './core/redact.js';
export { APIPromise, type ResponseInfo, type WithResponse } from './core/api-promise.js';
export { Page, PagePromise, type PageLoader } from './core/pagination.js';
export { TokenManager, type AccessToken, type TokenManagerOptions } from './core/token-manager.js';
export type { ResponseHeaders } from './core/headers.js';
export type { ErrorDetail } from './core/error-body.js';
export {
  CareOSError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  TokenExpiredError,
  NoConsentError,
  InsufficientPermissionError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  RequestValidationError,
  type APIErrorClass,
} from './core/errors.js';

export { PhoneEncryptor, encryptPhone } from './phone/encryptor.js';
export { normalizePhone, tryNormalizePhone, hashPhone, publicKeyId, unescapePem, InvalidPhoneError, ErrorCode, ErrorText, CARE_CATEGORIES } from '@careos/contract';
export { buildLeadRequest, type BuildLeadRequestOptions, type LeadIngestParams, type PlainPhoneLead } from './leads/ingest-params.js';

export type { Leads, LeadListParams } from './resources/leads.js';
export type { Keys } from './resources/keys.js';
export type { Health } from './resources/health.js';
export type { Auth } from './resources/auth.js';
export type { Contacts, ContactCreateParams, ContactCreateResponse, ContactDeleteResponse, ContactListParams, ContactResponse, ContactUpdateParams, ResumeAutomationResponse } from './resources/contacts.js';
export type { Bookings, BookingCreateParams, BookingListParams, BookingMessageResponse, BookingResponse, BookingUpdateParams } from './resources/bookings.js';
export type { Calendar, CalendarConnectResponse, CalendarIntegrationsResponse, CalendarDisconnectResponse } from './resources/calendar.js';
export type { CalendarEvents, CalendarEventListParams, CalendarEventListResponse, CalendarEventCreateParams, CalendarEventResponse } from './resources/calendar-events.js';
export type { Comms, CommsSendParams, CommsSendResponse, CommsBulkParams, CommsBulkResponse, CommsListParams, CommsGetResponse } from './resources/comms.js';
export type { Messages, MessageCreateParams, MessageCreateResponse, ConversationListParams, ConversationParams } from './resources/messages.js';
export type { PartnerResource } from './resources/partner/partner.js';
export type { PartnerPayments, PaymentListParams } from './resources/partner/payments.js';
export type { PartnerWebhooks, PartnerWebhookCreateParams, PartnerWebhookCreateResponse, PartnerWebhookListParams, PartnerWebhookRemoveResponse } from './resources/partner/webhooks.js';
export type { LookupRequests } from './resources/lookup.js';
export type { Admin } from './resources/admin/admin.js';
export type { Inventory, InventoryCreateParams, InventoryUpdateParams, InventoryListParams, LowStockListParams } from './resources/inventory.js';
export type { Alerts, OpsAlertListParams } from './resources/alerts.js';
export type { Dashboard } from './resources/dashboard.js';
export type { AdminAudit, AuditListParams } from './resources/admin/audit.js';
export type {
  AdminPartners,
  PartnerListResponse,
  PartnerCreateParams,
  PartnerCreateResponse,
  PartnerKeyCreateParams,
  PartnerKeyCreateResponse,
} from './resources/admin/partners.js';
export type { AdminLeads, AdminLeadListParams } from './resources/admin/leads.js';
export type { AdminMessages, MessageListParams } from './resources/admin/messages.js';
export type { AdminSettings, BusinessSettingsUpdateParams } from './resources/admin/settings.js';
export type { AdminIntegrations, IntegrationTestParams } from './resources/admin/integrations.js';
export type { AdminPayments, PaymentProcessParams } from './resources/admin/payments.js';
export type { AdminPayouts, PayoutListParams } from './resources/admin/payouts.js';
export type { AdminWebhooks, WebhookTriggerParams, WebhookTriggerResponse } from './resources/admin/webhooks/webhooks.js';
export type { AdminWebhookEndpoints, WebhookEndpointListParams } from './resources/admin/webhooks/endpoints.js';
export type { AdminWebhookDeliveries, WebhookDeliveryListParams } from './resources/admin/webhooks/deliveries.js';
export type { AdminLookup } from './resources/admin/lookup/lookup.js';
export type {
  AdminLookupKeys,
  LookupKeyListResponse,
  LookupKeyCreateParams,
  LookupKeyCreateResponse,
  LookupKeyRevokeResponse,
} from './resources/admin/lookup/keys.js';
export type { AdminLookupCases, LookupCaseCreateParams, LookupCaseRecordResponse } from './resources/admin/lookup/cases.js';
export type { AdminIntegration } from './resources/admin/integration/integration.js';
export type {
  AdminIntegrationPartners,
  IntegrationPartnerListResponse,
  IntegrationPartnerCreateParams,
  IntegrationPartnerCreateResponse,
  IntegrationPartnerUpdateParams,
  IntegrationPartnerResponse,
  IntegrationKeyCreateParams,
  IntegrationKeyCreateResponse,
} from './resources/admin/integration/partners.js';
export type { AdminIntegrationTherapists, TherapistCreateParams, TherapistUpdateParams, TherapistResponse } from './resources/admin/integration/therapists.js';
export type { AdminIntegrationClients, ClientCreateParams, ClientRecordResponse } from './resources/admin/integration/clients.js';
export type { AdminIntegrationCouples, CoupleCreateParams, CoupleRecordResponse } from './resources/admin/integration/couples.js';
export type { AdminIntegrationLinks, ClientLinkCreateParams, ClientLinkUpdateParams, ClientLinkResponse } from './resources/admin/integration/links.js';
export type { AdminIntegrationAlerts, TherapistAlertCreateParams, TherapistAlertCreateResponse } from './resources/admin/integration/alerts.js';

export type { IntegrationAuth, IntegrationTokenParams, IntegrationTokenResponse } from './resources/integration/auth.js';
export type {
  IntegrationClients,
  IntegrationClientListResponse,
  ClientProgressResponse,
  SessionPrepParams,
  SessionPrepReportResponse,
  AssignActivityParams,
  AssignActivityResult,
} from './resources/integration/clients.js';
export type { IntegrationCouples, CoupleDynamicsResponse } from './resources/integration/couples.js';
export type { IntegrationAlerts, AlertListParams } from './resources/integration/alerts.js';
export type { IntegrationOutcomes, OutcomesResult } from './resources/integration/outcomes.js';
export type { IntegrationWebhooks, WebhookRegisterParams, WebhookRegisterResponse, WebhookRemoveResponse } from './resources/integration/webhooks.js';

export type {
  AlternativeResponse,
  AuditRecord,
  AuditVerifyResponse,
  AuthScheme,
  CareCategory,
  ClientProgress,
  CoupleDynamics,
  IntegrationClient,
  PermissionLevel,
  TherapistAlert,
  TherapistAlertSeverity,
  TherapistAlertType,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEvent,
  ErrorEnvelope,
  ErrorStatus,
  HealthResponse,
  HttpMethod,
  Booking,
  BookingStatus,
  BusinessSettings,
  IntegrationCheckResult,
  IntegrationTestReport,
  Contact,
  InboundLead,
  IngestLeadResponse,
  Lead,
  LoginResponse,
  LookupCase,
  LookupFound,
  LookupKeyInfo,
  LookupNotFound,
  LookupPatient,
  LookupResult,
  NormalizePhoneOptions,
  Message,
  MessageStatus,
  Communication,
  CommsType,
  CalendarProvider,
  CalendarIntegration,
  BulkResult,
  OutboundMessage,
  Partner,
  PartnerPayment,
  Payout,
  ProcessPaymentsResponse,
  PublicKeyResponse,
  RateLimitBucket,
  RateLimitedEnvelope,
  RouteAlternative,
  RouteBody,
  RouteId,
  RouteOutcome,
  RouteParams,
  RouteQuery,
  RouteResponse,
  RouteSpec,
  Routes,
  StaffRole,
  SuccessStatus,
} from '@careos/contract';
