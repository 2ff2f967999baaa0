import { describe, expect, it } from 'vitest';
import { bookingMessage, localTime } from './booking-templates.js';

const startsAt = new Date('2026-03-10T14:30:00Z');

describe('booking templates', () => {
  it('gives the local time in the business time zone, with its name, whatever the UTC instant', () => {
    expect(localTime(startsAt, 'America/New_York', 'en')).toBe('Tuesday, March 10, 2026 at 10:30 AM (EDT)');
    expect(localTime(startsAt, 'Europe/Rome', 'it')).toMatch(/^martedì 10 marzo 2026.*15:30 \(CET\)$/);
  });

  it('writes in the contact’s language (its base, else English), greeting by first name only', () => {
    const es = bookingMessage('booking_reminder', { languageTag: 'es-MX', name: 'Lucía Fernández', startsAt, timeZone: 'UTC' });
    expect(es.language).toBe('es');
    expect(es.body).toMatch(/^Hola Lucía, te recordamos tu cita con CareOS el /);
    const other = bookingMessage('booking_confirmation', { languageTag: 'ja', name: null, startsAt, timeZone: 'UTC' });
    expect(other).toEqual({ language: 'en', body: 'Hi, your CareOS appointment is booked for Tuesday, March 10, 2026 at 2:30 PM (UTC). Reply STOP to opt out.' });
  });
});
