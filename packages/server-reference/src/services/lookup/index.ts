import type { ServiceContext } from '../context.js';
import { LookupAnswerCache } from './answer-cache.js';
import { CaseService } from './cases.js';
import { LookupDemo } from './demo.js';
import { LookupKeyService } from './keys.js';

/** The CCaaS screen-pop lookup: its API keys, the patients and cases it searches, its demo. */
export interface LookupServices {
  keys: LookupKeyService;
  cases: CaseService;
  demo: LookupDemo;
  /** Recent numbers' answers, exact (see answer-cache.ts). */
  answers: LookupAnswerCache;
}

/** Wires the lookup services. */
export function createLookupServices(ctx: ServiceContext): LookupServices {
  const keys = new LookupKeyService(ctx);
  const answers = new LookupAnswerCache(ctx);
  return { keys, cases: new CaseService(ctx, answers), demo: new LookupDemo(ctx, keys, answers), answers };
}
