import { ClientProgress, CoupleDynamics, ErrorEnvelope, IntegrationClientList, OutcomesResponse, SessionPrepResponse, TherapistAlertList } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count, query } from './helpers/db.js';
import type { TestResponse } from './helpers/http.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN, integrationToken, withToken, type IntegrationCredentials } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { openField } from './helpers/phi.js';

const keys = generateTestKeys();
const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

describe.each(backendNames())('integration endpoints on the demo caseload (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let creds: IntegrationCredentials;
  let admin: Record<string, string>;
  let api: ReturnType<typeof withToken>;
  let ids: Record<string, string>;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_INTEGRATION: '100000' } }) });
    creds = (await server.app.seedDemo()).integration;
    admin = await adminHeaders(server);
    api = withToken(server, await integrationToken(server, creds));
    const people = await query<{ id: string; first_name_enc: string }>(db, 'select id, first_name_enc from clients');
    ids = Object.fromEntries(people.map((p) => [openField(server.app, 'clients.first_name_enc', p.first_name_enc)!.toLowerCase(), p.id]));
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const get = (path: string) => api('GET', `/api/integration${path}`);
  const expectNoConsent = (res: TestResponse) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body).toMatchObject({ error: 'Client has not granted consent to this therapist', code: 'NO_CONSENT' });
  };

  it('lists only consented clients, with couples, latest activity and unread alerts', async () => {
    const res = await get('/clients');
    expect(res.status).toBe(200);
    const list = IntegrationClientList.parse(res.body);
    const byName = new Map(list.clients.map((c) => [c.firstName, c]));
    expect([...byName.keys()].sort()).toEqual(['Aisha', 'Jane', 'John', 'Maria', 'Priya', 'Tom']);
    expect(list.total).toBe(6);
    const jane = byName.get('Jane')!;
    expect(jane).toMatchObject({ lastName: 'Doe', email: 'jane@example.com', permissionLevel: 'STANDARD', courseWeek: 8, courseActive: true, unreadAlerts: 1 });
    expect(jane.couple).toMatchObject({ id: creds.coupleId, status: 'active', partner1: { firstName: 'Jane' }, partner2: { firstName: 'John' } });
    const [latest] = await query<{ day: string; mood: number }>(db, `select day::text as day, mood from daily_activities where client_id = '${jane.id}' and completed order by day desc limit 1`);
    expect(jane.latestActivity).toBe(latest!.day);
    expect(jane.latestMood).toBe(latest!.mood);
    // BASIC: no mood at all; the partner who did not consent to this therapist is not named.
    const maria = byName.get('Maria')!;
    expect('latestMood' in maria).toBe(false);
    expect(maria.couple).toMatchObject({ id: creds.partialCoupleId, partner1: { firstName: 'Maria' }, partner2: null });
    expect(res.text).not.toContain('Luis');
    // Priya's unread CRISIS alert is not visible at BASIC; her other alert was read.
    expect(byName.get('Priya')!.unreadAlerts).toBe(0);
  });

  it('filters progress by permission level: exact key sets for BASIC, STANDARD and FULL', async () => {
    const basic = ['activityCompletion', 'assessmentScores', 'clientId', 'courseProgress', 'permissionLevel'];
    const standard = [...basic, 'moodTrends', 'ratioTrends'].sort();
    const full = [...standard, 'individualResponses', 'journalEntries'].sort();
    for (const [client, keysExpected] of [[creds.clients.basic, basic], [creds.clients.standard, standard], [creds.clients.full, full]] as const) {
      const res = await get(`/clients/${client}/progress`);
      expect(res.status).toBe(200);
      ClientProgress.parse(res.body);
      expect(Object.keys(res.body).sort()).toEqual([...keysExpected].sort());
    }
  });

  it('computes progress from the stored data', async () => {
    const res = await get(`/clients/${creds.clients.standard}/progress`);
    const p = ClientProgress.parse(res.body);
    const [counts] = await query<{ done: number }>(db, `select count(*)::int as done from daily_activities where client_id = '${creds.clients.standard}' and completed and day > '${daysAgo(90)}'`);
    expect(p.activityCompletion).toMatchObject({ totalDays: 90, daysActive: counts!.done, completionRate: Math.round((counts!.done / 90) * 100), tasksCompleted: 1, tasksPending: 1 });
    expect(p.courseProgress).toMatchObject({ currentWeek: 8, isActive: true, completedWeeks: [1, 2, 3, 4, 5, 6, 7] });
    expect(p.courseProgress.weeklyStrategies.at(-1)).toEqual({ weekNumber: 8, theme: 'Gottman — Turning Toward', completedDays: 3, completedAt: null });
    expect(p.assessmentScores.map((a) => a.type)).toEqual(['attachment', 'gottman_sound_house', 'attachment']);
    expect(p.assessmentScores.at(-1)!.score).toEqual({ style: 'anxious', anxiety: 4.2, avoidance: 2.1 });
    const moods = await query<{ day: string; mood: number; closeness: number }>(db, `select day::text as day, mood, closeness from daily_activities where client_id = '${creds.clients.standard}' and mood is not null order by day`);
    expect(p.moodTrends).toEqual(moods.map((m) => ({ date: m.day, mood: m.mood, closeness: m.closeness })));
    for (const point of p.ratioTrends!) expect(point.ratio).toBe(point.negative === 0 ? null : Math.round((point.positive / point.negative) * 100) / 100);
  });

  it('answers 403 NO_CONSENT the same way for revoked, unlinked, other-therapist and unknown ids', async () => {
    const bodies = [];
    for (const client of [creds.clients.noConsent, ids.luis!, 'cli_0000000000000000000000nope', 'anything']) {
      for (const path of [`/clients/${client}/progress`, `/clients/${client}/session-prep`]) {
        const res = await get(path);
        expectNoConsent(res);
        bodies.push({ ...res.body, request_id: undefined });
      }
      const assign = await api('POST', `/api/integration/clients/${client}/assign`, { json: { taskDescription: 'x' } });
      expectNoConsent(assign);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expectNoConsent(await get('/couples/cpl_0000000000000000000000nope/dynamics'));
  });

  it('never returns a therapist-hidden journal entry, from any endpoint', async () => {
    const journal = async (where: string) =>
      (await query<{ text_enc: string }>(db, `select text_enc from journal_entries where ${where}`)).map((row) => ({ text: openField(server.app, 'journal_entries.text_enc', row.text_enc)! }));
    const hidden = await journal('therapist_hidden');
    const shown = await journal(`not therapist_hidden and client_id = '${creds.clients.full}'`);
    expect(hidden.length).toBeGreaterThan(0);
    const responses: TestResponse[] = [];
    for (const client of Object.values(creds.clients)) {
      responses.push(await get(`/clients/${client}/progress`), await get(`/clients/${client}/session-prep?lastSessionDate=${encodeURIComponent(new Date(Date.now() - 300 * DAY_MS).toISOString())}`));
    }
    responses.push(await get('/clients'), await get('/alerts?limit=500'), await get('/outcomes'), await get(`/couples/${creds.coupleId}/dynamics`), await get(`/couples/${creds.partialCoupleId}/dynamics`));
    const full = ClientProgress.parse(responses[4]!.body);
    expect(full.journalEntries!.map((j) => j.text).sort()).toEqual(shown.map((s) => s.text).sort());
    for (const res of responses) {
      expect(res.status, res.text).toBeLessThan(500);
      for (const { text } of hidden) expect(res.text).not.toContain(text);
    }
  });

  it('prepares sessions for STANDARD and FULL clients only, from the data since the anchor', async () => {
    const basic = await get(`/clients/${creds.clients.basic}/session-prep`);
    expect(basic.status).toBe(403);
    expect(basic.body).toMatchObject({ error: "Client's permission level is too low for this data", code: 'INSUFFICIENT_PERMISSION' });

    const anchor = new Date(Date.now() - 7 * DAY_MS);
    const res = await get(`/clients/${creds.clients.standard}/session-prep?lastSessionDate=${encodeURIComponent(anchor.toISOString())}`);
    expect(res.status).toBe(200);
    const { report } = SessionPrepResponse.parse(res.body);
    const anchorDay = anchor.toISOString().slice(0, 10);
    const days = await query<{ day: string; mood: number | null; completed: boolean }>(db, `select day::text as day, mood, completed from daily_activities where client_id = '${creds.clients.standard}' and day > '${anchorDay}'`);
    const done = days.filter((d) => d.completed);
    expect(report.activitiesCompleted.filter((a) => a.kind === 'daily_activity')).toHaveLength(done.length);
    expect(report.activitiesCompleted.filter((a) => a.kind === 'task')).toEqual([expect.objectContaining({ description: 'Practise a soft start-up twice this week' })]);
    const moods = done.flatMap((d) => (d.mood === null ? [] : [d.mood]));
    expect(report.moodTrends.average).toBe(moods.length ? Math.round((moods.reduce((a, b) => a + b, 0) / moods.length) * 10) / 10 : null);
    expect(['improving', 'declining', 'stable']).toContain(report.moodTrends.trend);
    expect(report.assessmentChanges).toEqual({ attachment: { before: { style: 'anxious', anxiety: 4.6, avoidance: 2.3 }, after: { style: 'anxious', anxiety: 4.2, avoidance: 2.1 } } });
    expect(report.generatedSummary).toContain(`completed ${done.length}/7 daily activities`);
    expect(report.expertInsights.map((i) => i.expert)).toContain('Gottman');
    expect(report.expertInsights.find((i) => i.expert === 'Attachment theory')!.insight).toContain('anxiety 4.6 → 4.2');
    expect(report).toMatchObject({ therapistId: creds.therapistId, clientId: creds.clients.standard, lastSessionDate: anchor.toISOString() });
    expect(await count(db, 'session_prep_reports', 'id = $1', report.id)).toBe(1);

    // John's CRITICAL crisis two days ago is flagged with the default (7-day) anchor.
    const john = SessionPrepResponse.parse((await get(`/clients/${creds.clients.full}/session-prep`)).body).report;
    expect(john.crisisFlags).toEqual([expect.objectContaining({ severity: 'CRITICAL', message: 'Crisis pathway triggered — safety plan activation recommended' })]);
    expect(john.generatedSummary).toContain('1 crisis flag raised');

    for (const bad of [new Date(Date.now() + DAY_MS).toISOString(), 'yesterday', new Date(Date.now() - 400 * DAY_MS).toISOString()]) {
      const invalid = await get(`/clients/${creds.clients.standard}/session-prep?lastSessionDate=${encodeURIComponent(bad)}`);
      expect(invalid.status, bad).toBe(400);
      expect(invalid.body.error).toBe('Invalid query parameters');
    }
  });

  it('shows couple dynamics side by side, withholding a partner who did not consent to this therapist', async () => {
    const both = CoupleDynamics.parse((await get(`/couples/${creds.coupleId}/dynamics`)).body);
    expect(both.withheld).toEqual([]);
    expect(both.partner1!.user.firstName).toBe('Jane');
    expect(both.partner2!.user.firstName).toBe('John');
    expect(both.matchups.map((m) => m.score)).toEqual([72, 64]);
    expect(both.coupleProfile!.attachmentDynamic).toMatchObject({ pattern: 'anxious-avoidant' });
    const [janeDays] = await query<{ n: number }>(db, `select count(*)::int as n from daily_activities where client_id = '${creds.clients.standard}' and completed and day > '${daysAgo(30)}'`);
    expect(both.partner1!.activityDays).toBe(janeDays!.n);
    expect(typeof both.partner1!.moodAvg).toBe('number');

    const partial = await get(`/couples/${creds.partialCoupleId}/dynamics`);
    const half = CoupleDynamics.parse(partial.body);
    expect(half).toMatchObject({ partner2: null, withheld: ['partner2'], matchups: [], coupleProfile: null });
    expect(half.partner1!.user.firstName).toBe('Maria');
    expect('moodAvg' in half.partner1!).toBe(false);
    expect(partial.text).not.toContain(ids.luis!);
    expect(partial.text).not.toContain('Luis');
  });

  it('lists visible alerts newest first, with filters, totals and cursor pagination', async () => {
    const all = TherapistAlertList.parse((await get('/alerts')).body);
    // The revoked client's alerts and the BASIC client's CRISIS alert are not visible.
    expect(all.total).toBe(7);
    expect(all.alerts).toHaveLength(7);
    expect(all.next_cursor).toBeNull();
    expect(all.unreadCount).toBe(all.alerts.filter((a) => a.readAt === null).length);
    expect(all.alerts.map((a) => a.createdAt)).toEqual([...all.alerts.map((a) => a.createdAt)].sort().reverse());
    expect(all.alerts.some((a) => a.clientId === creds.clients.noConsent)).toBe(false);
    expect(all.alerts.some((a) => a.clientId === creds.clients.basic && a.alertType === 'CRISIS')).toBe(false);
    expect(all.alerts.find((a) => a.alertType === 'RISK' && a.client.firstName === 'Jane')).toMatchObject({
      severity: 'HIGH',
      message: 'Mood has dropped 2+ SD below baseline for 5 consecutive days',
      metadata: { moodBaseline: 7.2, currentMood: 3.1, daysBelow: 5 },
      readAt: null,
    });

    const milestones = TherapistAlertList.parse((await get('/alerts?type=MILESTONE')).body);
    expect(milestones.alerts.every((a) => a.alertType === 'MILESTONE')).toBe(true);
    expect(milestones.total).toBe(3);
    const unread = TherapistAlertList.parse((await get('/alerts?unreadOnly=true')).body);
    expect(unread.alerts.every((a) => a.readAt === null)).toBe(true);
    expect(unread.total).toBe(all.unreadCount);
    const since = new Date(Date.now() - 5.5 * DAY_MS).toISOString();
    const recent = TherapistAlertList.parse((await get(`/alerts?since=${encodeURIComponent(since)}`)).body);
    expect(recent.alerts.map((a) => a.id)).toEqual(all.alerts.filter((a) => a.createdAt > since).map((a) => a.id));

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = TherapistAlertList.parse(res.body);
      expect(page.alerts.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(7);
      pages.push(...page.alerts.map((a) => a.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual(all.alerts.map((a) => a.id));

    for (const bad of ['limit=0', 'limit=501', 'limit=abc', 'type=PANIC', 'unreadOnly=maybe', 'since=yesterday', 'cursor=bm90LWEtY3Vyc29y']) {
      const res = await get(`/alerts?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(ErrorEnvelope.parse(res.body).error).toBe('Invalid query parameters');
    }
    expect((await get('/alerts?limit=500')).status).toBe(200);
  });

  it('assigns activities (201) at any permission level, and validates the body', async () => {
    const seedBody = {
      taskDescription: 'Complete the Gottman Love Map exercise',
      module: 'gottman_love_maps',
      activities: ['love_map_quiz', 'open_ended_questions'],
      notes: "Focus on curiosity about partner's inner world",
      dueDate: '2026-02-19',
      priority: 'high',
    };
    const res = await api('POST', `/api/integration/clients/${creds.clients.basic}/assign`, { json: seedBody });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      message: 'Activity assigned',
      task: { description: seedBody.taskDescription, priority: 'high', dueDate: '2026-02-19T00:00:00.000Z', module: 'gottman_love_maps', activities: seedBody.activities, status: 'pending' },
    });
    const [stored] = await query<{ therapist_id: string; client_id: string }>(db, `select therapist_id, client_id from client_tasks where id = '${res.body.task.id}'`);
    expect(stored).toEqual({ therapist_id: creds.therapistId, client_id: creds.clients.basic });

    // Idempotency-Key is scoped to the key and therapist: a retry replays the same task.
    const once = await api('POST', `/api/integration/clients/${creds.clients.basic}/assign`, { json: { taskDescription: 'Replay me' }, headers: { 'idempotency-key': 'assign-1' } });
    const twice = await api('POST', `/api/integration/clients/${creds.clients.basic}/assign`, { json: { taskDescription: 'Replay me' }, headers: { 'idempotency-key': 'assign-1' } });
    expect(twice.status).toBe(201);
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(twice.body.task.id).toBe(once.body.task.id);
    const tasks = await query<{ description_enc: string }>(db, `select description_enc from client_tasks where client_id = '${creds.clients.basic}'`);
    expect(tasks.filter((t) => openField(server.app, 'client_tasks.description_enc', t.description_enc) === 'Replay me')).toHaveLength(1);

    const missing = await api('POST', `/api/integration/clients/${creds.clients.basic}/assign`, { json: { module: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'Missing required fields: taskDescription', code: 'VALIDATION_FAILED' });
    for (const body of [{ taskDescription: 'x', priority: 'urgent' }, { taskDescription: 'x', dueDate: 'next week' }, { taskDescription: 'x', activities: 'quiz' }]) {
      const invalid = await api('POST', `/api/integration/clients/${creds.clients.basic}/assign`, { json: body });
      expect(invalid.status, JSON.stringify(body)).toBe(400);
      expect(invalid.body.error).toBe('Invalid request body');
    }
  });

  it('reports caseload outcomes that match the data', async () => {
    const res = await get('/outcomes');
    const { outcomes } = OutcomesResponse.parse(res.body);
    const consented = await query<{ client_id: string; permission_level: string }>(
      db,
      `select client_id, permission_level from client_links where therapist_id = '${creds.therapistId}' and consent_granted_at is not null and consent_revoked_at is null`,
    );
    expect(outcomes.clients.map((c) => c.clientId).sort()).toEqual(consented.map((c) => c.client_id).sort());
    const courses = await query<{ client_id: string; current_week: number; is_active: boolean; completed: boolean }>(
      db,
      `select client_id, current_week, is_active, completed_at is not null as completed from course_progress where client_id in (${consented.map((c) => `'${c.client_id}'`).join(',')})`,
    );
    for (const c of outcomes.clients) {
      const level = consented.find((x) => x.client_id === c.clientId)!.permission_level;
      const [types] = await query<{ n: number }>(db, `select count(distinct type)::int as n from assessments where client_id = '${c.clientId}'`);
      const [alerts] = await query<{ crisis: number; milestones: number }>(
        db,
        `select (count(*) filter (where alert_type = 'CRISIS'))::int as crisis, (count(*) filter (where alert_type = 'MILESTONE'))::int as milestones from therapist_alerts where therapist_id = '${creds.therapistId}' and client_id = '${c.clientId}'`,
      );
      const course = courses.find((x) => x.client_id === c.clientId)!;
      expect(c).toEqual({
        clientId: c.clientId,
        assessmentTypes: types!.n,
        courseWeek: course.current_week,
        courseCompleted: course.completed,
        crisisAlerts: level === 'BASIC' ? 0 : alerts!.crisis,
        milestones: alerts!.milestones,
      });
    }
    const weeks = courses.map((c) => c.current_week);
    expect(outcomes.summary).toEqual({
      totalClients: consented.length,
      activeInCourse: courses.filter((c) => c.is_active).length,
      courseCompleted: courses.filter((c) => c.completed).length,
      totalCrisisAlerts: outcomes.clients.reduce((s, c) => s + c.crisisAlerts, 0),
      totalMilestones: outcomes.clients.reduce((s, c) => s + c.milestones, 0),
      avgCourseWeek: Math.round((weeks.reduce((a, b) => a + b, 0) / weeks.length) * 10) / 10,
    });
    expect(outcomes.summary).toMatchObject({ totalClients: 6, courseCompleted: 1, totalCrisisAlerts: 1, totalMilestones: 3 });
  });

  describe('consent changes and alerts through the sandbox', () => {
    let clientId: string;
    let linkId: string;
    // Delivery bodies are sealed: open them to find the ones that name a record.
    const bodies = async (event: string, naming: string) =>
      (await query<{ body_enc: string }>(db, `select body_enc from webhook_deliveries where event_type = '${event}' order by id`))
        .map((row) => openField(server.app, 'webhook_deliveries.body_enc', row.body_enc)!)
        .filter((body) => body.includes(naming));
    const deliveries = async (event: string) => (await bodies(event, clientId)).length;

    beforeAll(async () => {
      // A subscribed integration endpoint for the demo therapist, so events land in the outbox.
      const now = new Date().toISOString();
      await query(
        db,
        `insert into webhook_endpoints (id, owner_kind, owner_id, therapist_id, url, events, secret_ciphertext, created_at, updated_at)
         values ('whep_integrationtest000000000000', 'integration', '${creds.partnerId}', '${creds.therapistId}', 'http://127.0.0.1:9/hook',
                 '["alert.created","alert.critical","milestone.achieved","consent.revoked"]', 'unused', '${now}', '${now}')`,
      );
      const client = await call(server.url, 'POST', '/admin/integration/clients', { headers: admin, json: { first_name: 'Robin', last_name: 'Sandbox', email: 'robin@example.com' } });
      expect(client.status).toBe(201);
      clientId = client.body.client.id;
      const link = await call(server.url, 'POST', '/admin/integration/links', { headers: admin, json: { therapist_id: creds.therapistId, client_id: clientId, permission_level: 'STANDARD' } });
      expect(link.status).toBe(201);
      linkId = link.body.link.id;
      const again = await call(server.url, 'POST', '/admin/integration/links', { headers: admin, json: { therapist_id: creds.therapistId, client_id: clientId, permission_level: 'FULL' } });
      expect(again.status).toBe(409);
    });

    it('applies a permission change to the very next request', async () => {
      expect(Object.keys((await get(`/clients/${clientId}/progress`)).body)).toContain('moodTrends');
      await call(server.url, 'PATCH', `/admin/integration/links/${linkId}`, { headers: admin, json: { permission_level: 'BASIC' } });
      expect(Object.keys((await get(`/clients/${clientId}/progress`)).body)).not.toContain('moodTrends');
      expect((await get(`/clients/${clientId}/session-prep`)).status).toBe(403);
      await call(server.url, 'PATCH', `/admin/integration/links/${linkId}`, { headers: admin, json: { permission_level: 'STANDARD' } });
    });

    it('queues alert.created, alert.critical and milestone.achieved with the seed payload', async () => {
      const critical = await call(server.url, 'POST', '/admin/integration/alerts', {
        headers: admin,
        json: { therapist_id: creds.therapistId, client_id: clientId, alert_type: 'CRISIS', severity: 'CRITICAL', message: 'Crisis pathway triggered — safety plan activation recommended', metadata: { pathway: 'safety_plan' } },
      });
      expect(critical.status).toBe(201);
      expect(critical.body.webhooks_queued).toBe(2);
      const [row] = await bodies('alert.critical', critical.body.alert.id);
      // The seed's payload fields (the envelope may add its own, such as the therapist id).
      expect(JSON.parse(row!)).toMatchObject({
        type: 'alert.critical',
        timestamp: expect.any(String),
        alertId: critical.body.alert.id,
        clientId,
        alertType: 'CRISIS',
        severity: 'CRITICAL',
        message: 'Crisis pathway triggered — safety plan activation recommended',
        metadata: { pathway: 'safety_plan' },
        createdAt: critical.body.alert.createdAt,
      });
      const milestone = await call(server.url, 'POST', '/admin/integration/alerts', {
        headers: admin,
        json: { therapist_id: creds.therapistId, client_id: clientId, alert_type: 'MILESTONE', severity: 'LOW', message: 'Completed week 1' },
      });
      expect(milestone.body.webhooks_queued).toBe(2);
      expect(await deliveries('milestone.achieved')).toBe(1);
      const listed = TherapistAlertList.parse((await get(`/alerts?since=${encodeURIComponent(critical.body.alert.createdAt.replace(/Z$/, '') + 'Z')}`)).body);
      expect(listed.alerts.map((a) => a.id)).toContain(milestone.body.alert.id);
      // A BASIC client's CRISIS alert is neither listed nor sent.
      const basic = await call(server.url, 'POST', '/admin/integration/alerts', {
        headers: admin,
        json: { therapist_id: creds.therapistId, client_id: creds.clients.basic, alert_type: 'CRISIS', severity: 'CRITICAL', message: 'hidden crisis' },
      });
      expect(basic.body.webhooks_queued).toBe(0);
      expect((await get('/alerts?limit=500')).text).not.toContain(basic.body.alert.id);
      const unlinked = await call(server.url, 'POST', '/admin/integration/alerts', {
        headers: admin,
        json: { therapist_id: creds.therapistId, client_id: ids.luis, alert_type: 'RISK', severity: 'LOW', message: 'x' },
      });
      expect(unlinked.status).toBe(404);
    });

    it('revoking consent refuses the very next request and queues consent.revoked; granting again restores access', async () => {
      expect((await get(`/clients/${clientId}/progress`)).status).toBe(200);
      const revoked = await call(server.url, 'PATCH', `/admin/integration/links/${linkId}`, { headers: admin, json: { consent: 'revoked' } });
      expect(revoked.status).toBe(200);
      expect(revoked.body.link.consent_revoked_at).not.toBeNull();
      expectNoConsent(await get(`/clients/${clientId}/progress`));
      expectNoConsent(await api('POST', `/api/integration/clients/${clientId}/assign`, { json: { taskDescription: 'x' } }));
      expect((await get('/clients')).text).not.toContain(clientId);
      expect((await get('/alerts?limit=500')).text).not.toContain(clientId);
      const [row] = await bodies('consent.revoked', clientId);
      expect(JSON.parse(row!)).toMatchObject({ type: 'consent.revoked', clientId, therapistId: creds.therapistId, linkId, revokedAt: revoked.body.link.consent_revoked_at });
      // Revoking twice sends nothing more.
      await call(server.url, 'PATCH', `/admin/integration/links/${linkId}`, { headers: admin, json: { consent: 'revoked' } });
      expect(await deliveries('consent.revoked')).toBe(1);

      await call(server.url, 'PATCH', `/admin/integration/links/${linkId}`, { headers: admin, json: { consent: 'granted' } });
      expect((await get(`/clients/${clientId}/progress`)).status).toBe(200);
    });
  });
});
