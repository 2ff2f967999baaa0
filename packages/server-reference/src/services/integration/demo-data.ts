import type { PermissionLevel, TherapistAlertSeverity, TherapistAlertType } from '@careos/contract';

/**
 * The integration demo caseload, as data: who the clients are, how they consented, and the
 * parameters their generated histories follow. `demo.ts` turns it into rows.
 */

/** The seed's example therapist id (§1), so its example auth request works against the demo. */
export const DEMO_THERAPIST_ID = '550e8400-e29b-41d4-a716-446655440000';

/** The twelve weeks of the relationship course. */
export const COURSE_THEMES = [
  'Foundations — Love Maps',
  'Gottman — Fondness and Admiration',
  'Attachment — Understanding Your Style',
  'Communication — Soft Start-Up',
  'Gottman — The Four Horsemen',
  'EFT — Finding the Negative Cycle',
  'Repair Attempts',
  'Gottman — Turning Toward',
  'Managing Conflict',
  'EFT — Hold Me Tight Conversations',
  'Shared Meaning',
  'Sustaining Change',
] as const;

/** One demo client. */
export interface DemoClient {
  key: string;
  firstName: string;
  lastName: string;
  /** Consent to the demo therapist: a level, `revoked`, or `none` (not linked). */
  consent: PermissionLevel | 'revoked' | 'none';
  /** Consent to the second demo therapist, for a partner whose data must not leak across. */
  otherTherapist?: PermissionLevel;
  /** Chance of completing the daily activity on a given day. */
  completion: number;
  /** Mood around which the days vary, and its change per day over the 90 days. */
  moodBase: number;
  moodDrift: number;
  /** Current course week; `completed` finished all twelve. */
  courseWeek: number | null;
  courseState: 'active' | 'paused' | 'completed';
}

/** The demo caseload: several clients at each level, a consenting couple, a half-consenting couple, a revoked client. */
export const DEMO_CLIENTS: readonly DemoClient[] = [
  { key: 'jane', firstName: 'Jane', lastName: 'Doe', consent: 'STANDARD', completion: 0.72, moodBase: 6.2, moodDrift: 0.012, courseWeek: 8, courseState: 'active' },
  { key: 'john', firstName: 'John', lastName: 'Doe', consent: 'FULL', completion: 0.6, moodBase: 5.6, moodDrift: 0.008, courseWeek: 8, courseState: 'active' },
  { key: 'priya', firstName: 'Priya', lastName: 'Patel', consent: 'BASIC', completion: 0.45, moodBase: 5.0, moodDrift: -0.01, courseWeek: 4, courseState: 'paused' },
  { key: 'maria', firstName: 'Maria', lastName: 'Garcia', consent: 'BASIC', completion: 0.8, moodBase: 6.8, moodDrift: 0.004, courseWeek: 6, courseState: 'active' },
  { key: 'luis', firstName: 'Luis', lastName: 'Garcia', consent: 'none', otherTherapist: 'FULL', completion: 0.55, moodBase: 5.4, moodDrift: 0, courseWeek: 6, courseState: 'active' },
  { key: 'aisha', firstName: 'Aisha', lastName: 'Bello', consent: 'STANDARD', completion: 0.9, moodBase: 7.1, moodDrift: 0.006, courseWeek: 11, courseState: 'active' },
  { key: 'tom', firstName: 'Tom', lastName: 'Becker', consent: 'FULL', completion: 0.85, moodBase: 7.4, moodDrift: 0.01, courseWeek: 12, courseState: 'completed' },
  { key: 'sam', firstName: 'Sam', lastName: 'Lee', consent: 'revoked', completion: 0.5, moodBase: 5.8, moodDrift: 0, courseWeek: 3, courseState: 'paused' },
];

/** Couples among the demo clients: the Does both consented; of the Garcias only Maria did. */
export const DEMO_COUPLES = [
  {
    key: 'doe',
    partner1: 'jane',
    partner2: 'john',
    matchups: [
      { daysAgo: 60, score: 64, alignments: { compatible: ['shared_values', 'quality_time'], misses: ['conflict_pacing', 'bids_for_attention'] } },
      { daysAgo: 5, score: 72, alignments: { compatible: ['shared_values', 'quality_time', 'bids_for_attention'], misses: ['conflict_pacing'] } },
    ],
    profile: {
      attachmentDynamic: { pattern: 'anxious-avoidant', description: 'Jane reaches for reassurance when distance grows; John steps back to regulate, which reads to Jane as withdrawal.' },
      communicationStyle: { partner1: 'expressive', partner2: 'reserved', cycle: 'pursue-withdraw' },
      strengths: ['Shared values about family', 'Humour during repair attempts', 'Consistent daily check-ins'],
      growthEdges: ['Slowing down escalating conflicts', 'Naming needs without criticism', 'Turning toward small bids'],
    },
  },
  {
    key: 'garcia',
    partner1: 'maria',
    partner2: 'luis',
    matchups: [{ daysAgo: 20, score: 58, alignments: { compatible: ['parenting'], misses: ['finances', 'affection'] } }],
    profile: {
      attachmentDynamic: { pattern: 'secure-anxious', description: 'Maria stays steady; Luis seeks frequent reassurance.' },
      communicationStyle: { partner1: 'direct', partner2: 'indirect', cycle: 'criticise-defend' },
      strengths: ['Co-parenting'],
      growthEdges: ['Money conversations'],
    },
  },
] as const;

/** Assessments each client took: type, days ago, score, and their own answers. */
export const DEMO_ASSESSMENTS: Record<string, readonly { type: string; daysAgo: number; score: Record<string, unknown> }[]> = {
  jane: [
    { type: 'attachment', daysAgo: 75, score: { style: 'anxious', anxiety: 4.6, avoidance: 2.3 } },
    { type: 'gottman_sound_house', daysAgo: 70, score: { loveMaps: 62, fondness: 71, turningToward: 55 } },
    { type: 'attachment', daysAgo: 3, score: { style: 'anxious', anxiety: 4.2, avoidance: 2.1 } },
  ],
  john: [
    { type: 'attachment', daysAgo: 74, score: { style: 'avoidant', anxiety: 2.2, avoidance: 4.4 } },
    { type: 'love_languages', daysAgo: 68, score: { primary: 'acts_of_service', secondary: 'quality_time' } },
    { type: 'conflict_style', daysAgo: 40, score: { style: 'withdrawing', flooding: 3.8 } },
    { type: 'attachment', daysAgo: 4, score: { style: 'avoidant', anxiety: 2.0, avoidance: 3.7 } },
  ],
  priya: [{ type: 'attachment', daysAgo: 50, score: { style: 'fearful', anxiety: 4.9, avoidance: 4.1 } }],
  maria: [
    { type: 'attachment', daysAgo: 45, score: { style: 'secure', anxiety: 1.8, avoidance: 1.9 } },
    { type: 'love_languages', daysAgo: 44, score: { primary: 'words_of_affirmation', secondary: 'physical_touch' } },
  ],
  luis: [{ type: 'attachment', daysAgo: 44, score: { style: 'anxious', anxiety: 4.4, avoidance: 2.0 } }],
  aisha: [
    { type: 'attachment', daysAgo: 85, score: { style: 'secure', anxiety: 2.1, avoidance: 1.7 } },
    { type: 'gottman_sound_house', daysAgo: 30, score: { loveMaps: 80, fondness: 84, turningToward: 77 } },
    { type: 'conflict_style', daysAgo: 12, score: { style: 'validating', flooding: 1.6 } },
  ],
  tom: [
    { type: 'attachment', daysAgo: 88, score: { style: 'anxious', anxiety: 3.9, avoidance: 2.5 } },
    { type: 'love_languages', daysAgo: 80, score: { primary: 'quality_time', secondary: 'words_of_affirmation' } },
    { type: 'gottman_sound_house', daysAgo: 10, score: { loveMaps: 78, fondness: 82, turningToward: 74 } },
    { type: 'attachment', daysAgo: 2, score: { style: 'secure', anxiety: 2.4, avoidance: 2.0 } },
  ],
  sam: [{ type: 'attachment', daysAgo: 30, score: { style: 'avoidant', anxiety: 2.5, avoidance: 4.0 } }],
};

/** Journal entries: some shared with the therapist, some the client hid (never returned by any API). */
export const DEMO_JOURNALS: Record<string, readonly { daysAgo: number; text: string; hidden: boolean }[]> = {
  john: [
    { daysAgo: 20, text: 'Noticed I went quiet again when Jane raised the holiday plans. Tried the self-soothing break.', hidden: false },
    { daysAgo: 14, text: 'I have not told anyone that I almost moved out in the spring.', hidden: true },
    { daysAgo: 9, text: 'We did the love map questions. I learned her best friend from school moved back.', hidden: false },
    { daysAgo: 6, text: 'Private note to self: the real reason I shut down is how my father used to shout.', hidden: true },
    { daysAgo: 2, text: 'Better week. We caught a fight early and took a break before it escalated.', hidden: false },
  ],
  jane: [
    { daysAgo: 12, text: 'Felt unseen at dinner again, but I asked softly instead of exploding.', hidden: false },
    { daysAgo: 7, text: 'Something I will only write here: I checked his phone last month.', hidden: true },
  ],
  tom: [
    { daysAgo: 30, text: 'Finished the repair attempts week. Saying "let me try again" actually works.', hidden: false },
    { daysAgo: 1, text: 'Not for my therapist: I am scared the progress will not last.', hidden: true },
  ],
};

/** Alerts, oldest first: every type and severity, some already read. */
export const DEMO_ALERTS: readonly { client: string; daysAgo: number; type: TherapistAlertType; severity: TherapistAlertSeverity; message: string; metadata: Record<string, unknown>; read: boolean }[] = [
  { client: 'sam', daysAgo: 40, type: 'STAGNATION', severity: 'MEDIUM', message: 'No activity for 10 days', metadata: { daysInactive: 10 }, read: false },
  { client: 'tom', daysAgo: 30, type: 'MILESTONE', severity: 'LOW', message: '30-day activity streak', metadata: { streak: 30 }, read: true },
  { client: 'priya', daysAgo: 21, type: 'STAGNATION', severity: 'MEDIUM', message: 'Course paused at week 4 with no activity for 7 days', metadata: { daysInactive: 7, courseWeek: 4 }, read: true },
  { client: 'aisha', daysAgo: 14, type: 'MILESTONE', severity: 'LOW', message: 'Completed week 10: EFT — Hold Me Tight Conversations', metadata: { week: 10 }, read: false },
  { client: 'priya', daysAgo: 9, type: 'CRISIS', severity: 'HIGH', message: 'Safety keywords detected in a check-in note', metadata: { source: 'daily_checkin' }, read: false },
  { client: 'jane', daysAgo: 6, type: 'RISK', severity: 'HIGH', message: 'Mood has dropped 2+ SD below baseline for 5 consecutive days', metadata: { moodBaseline: 7.2, currentMood: 3.1, daysBelow: 5 }, read: false },
  { client: 'maria', daysAgo: 5, type: 'RISK', severity: 'LOW', message: 'Closeness scores flat for two weeks', metadata: { weeksFlat: 2 }, read: false },
  { client: 'tom', daysAgo: 4, type: 'MILESTONE', severity: 'MEDIUM', message: 'Completed the 12-week course', metadata: { week: 12 }, read: false },
  { client: 'john', daysAgo: 2, type: 'CRISIS', severity: 'CRITICAL', message: 'Crisis pathway triggered — safety plan activation recommended', metadata: { pathway: 'safety_plan', trigger: 'assessment' }, read: false },
  { client: 'sam', daysAgo: 1, type: 'RISK', severity: 'HIGH', message: 'Assessment scores dropped sharply', metadata: { drop: 1.8 }, read: false },
];

/** Tasks the demo therapist assigned (the seed's assign example among them). */
export const DEMO_TASKS: readonly { client: string; daysAgo: number; description: string; module: string; activities: string[]; priority: 'low' | 'medium' | 'high'; completedDaysAgo: number | null; dueInDays: number | null }[] = [
  { client: 'jane', daysAgo: 1, description: 'Complete the Gottman Love Map exercise', module: 'gottman_love_maps', activities: ['love_map_quiz', 'open_ended_questions'], priority: 'high', completedDaysAgo: null, dueInDays: 7 },
  { client: 'jane', daysAgo: 12, description: 'Practise a soft start-up twice this week', module: 'soft_startup', activities: ['soft_startup_script'], priority: 'medium', completedDaysAgo: 4, dueInDays: null },
  { client: 'john', daysAgo: 10, description: 'Use a 20-minute self-soothing break when flooded', module: 'flooding', activities: ['self_soothing_break'], priority: 'high', completedDaysAgo: 3, dueInDays: null },
  { client: 'john', daysAgo: 3, description: 'Write down three bids you noticed', module: 'turning_toward', activities: ['bids_journal'], priority: 'medium', completedDaysAgo: null, dueInDays: 4 },
  { client: 'priya', daysAgo: 20, description: 'Restart the daily check-in', module: 'daily_checkin', activities: ['mood_checkin'], priority: 'low', completedDaysAgo: null, dueInDays: -5 },
  { client: 'aisha', daysAgo: 15, description: 'Hold Me Tight conversation 1', module: 'hold_me_tight', activities: ['conversation_1'], priority: 'medium', completedDaysAgo: 8, dueInDays: null },
  { client: 'tom', daysAgo: 25, description: 'Plan a ritual of connection', module: 'shared_meaning', activities: ['rituals_worksheet'], priority: 'low', completedDaysAgo: 18, dueInDays: null },
];
