import type { IntegrationTestReport } from '@careos/contract';
import { readIntegrationSettings } from '../config/integrations-config.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { silentLogger } from '../logging/logger.js';
import { selectProviders } from '../providers/select-providers.js';
import type { Providers } from '../providers/types.js';
import { runIntegrationChecks } from './run-checks.js';

/** Options of {@link runIntegrationSelfTest}. */
export interface IntegrationSelfTestOptions {
  /** The server's environment (its `.env` merged over `process.env`, say). */
  env: NodeJS.ProcessEnv;
  /** Also send the test SMS and email through the providers this environment selects. */
  sendTest?: boolean;
  /** Longest each check may take, in ms (default 10 000). */
  timeoutMs?: number;
}

/** What {@link runIntegrationSelfTest} found. */
export interface IntegrationSelfTestOutcome {
  /** Malformed integration variables (a bad base URL or flag); the checks ran with the defaults. */
  problems: string[];
  report: IntegrationTestReport;
}

/**
 * The seed's `node backend/test-integrations.js` without a running server (what
 * `careos integrations test` runs): reads the integration settings from `env`, checks every
 * service, and with `sendTest` sends through the very providers a server started with this
 * environment would choose. A server configuration that does not load fails the test sends
 * with its first problem (problems never quote a secret's value).
 */
export async function runIntegrationSelfTest(options: IntegrationSelfTestOptions): Promise<IntegrationSelfTestOutcome> {
  const problems: string[] = [];
  const read = (name: string): string | undefined => options.env[name]?.trim() || undefined;
  const settings = readIntegrationSettings(read, problems);
  let providers: Pick<Providers, 'sms' | 'email'> | undefined;
  if (options.sendTest) {
    try {
      providers = selectProviders(loadConfig(options.env), silentLogger());
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const reason = `the server configuration does not load: ${error.problems[0] ?? 'invalid'}`;
      providers = { sms: refusing('sms', reason), email: refusing('email', reason) } as Pick<Providers, 'sms' | 'email'>;
    }
  }
  const report = await runIntegrationChecks(settings, {
    sendTest: options.sendTest ?? false,
    ...(providers ? { providers } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { problems, report };
}

/** A provider that refuses everything with `reason` (the configuration could not be loaded). */
function refusing(name: string, reason: string) {
  const fail = async (): Promise<never> => {
    const error = new Error(reason);
    error.name = 'ProviderError';
    throw error;
  };
  return { name: `unavailable-${name}`, send: fail };
}
