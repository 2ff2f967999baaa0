import type { ServiceContext } from '../context.js';
import type { SettingsService } from '../settings.js';
import type { WebhookOutbox } from '../webhooks/outbox.js';
import { IntegrationAccessService } from './access.js';
import { TherapistAlertService } from './alerts.js';
import { CaseloadService } from './caseload.js';
import { ConsentService } from './consent.js';
import { IntegrationDemo } from './demo.js';
import { DirectoryService } from './directory.js';
import { DynamicsService } from './dynamics.js';
import { ProgressService } from './progress.js';
import { SessionPrepService } from './session-prep.js';
import { TaskService } from './tasks.js';

/** The therapist-integration services (seed `loverescue-integration-api.md`). */
export interface IntegrationServices {
  access: IntegrationAccessService;
  directory: DirectoryService;
  consent: ConsentService;
  alerts: TherapistAlertService;
  caseload: CaseloadService;
  progress: ProgressService;
  sessionPrep: SessionPrepService;
  dynamics: DynamicsService;
  tasks: TaskService;
  /** Loads the integration part of `--seed demo`. */
  demo: IntegrationDemo;
}

/** Wires the integration services; alerts and consent changes emit through `outbox`. */
export function createIntegrationServices(ctx: ServiceContext, settings: SettingsService, outbox: WebhookOutbox): IntegrationServices {
  const consent = new ConsentService(ctx, outbox);
  const alerts = new TherapistAlertService(ctx, outbox);
  const access = new IntegrationAccessService(ctx, settings);
  const directory = new DirectoryService(ctx);
  return {
    access,
    directory,
    consent,
    alerts,
    caseload: new CaseloadService(ctx, consent, alerts),
    progress: new ProgressService(ctx, consent),
    sessionPrep: new SessionPrepService(ctx, consent, alerts),
    dynamics: new DynamicsService(ctx, consent),
    tasks: new TaskService(ctx, consent),
    demo: new IntegrationDemo(ctx, access, directory),
  };
}
