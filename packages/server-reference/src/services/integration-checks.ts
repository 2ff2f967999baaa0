import type { IntegrationTestReport } from '@careos/contract';
import { runIntegrationChecks } from '../integrations/run-checks.js';
import type { ServiceContext } from './context.js';

/** `POST /admin/integrations/test`: the integration self-test with this server's settings and providers. */
export class IntegrationCheckService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Checks every third-party service (read-only calls), and with `sendTest` sends the test SMS
   * and email through the providers this server uses. Logs one line of statuses (no details).
   */
  async run(options: { sendTest: boolean }): Promise<IntegrationTestReport> {
    const report = await runIntegrationChecks(this.ctx.config.integrations, { sendTest: options.sendTest, providers: this.ctx.providers });
    const statuses = Object.fromEntries(report.results.map((r) => [r.service, r.test_send ? `${r.status} (test send ${r.test_send.status})` : r.status]));
    this.ctx.logger.info({ integrations: statuses }, 'integration self-test');
    return report;
  }
}
