import { welcomeLanguage, type WelcomeLanguage } from './welcome-templates.js';

/** Why a booking SMS is sent: the `kind` of its message. */
export type BookingMessageKind = 'booking_confirmation' | 'booking_reminder' | 'booking_form_reminder';

/** What a booking SMS says: the contact's first name and the start in local time. */
interface BookingText {
  firstName: string | null;
  /** The start, already written in the business's time zone and the message's language. */
  when: string;
}

type Template = (text: BookingText) => string;

const hi: Record<WelcomeLanguage, string> = { en: 'Hi', es: 'Hola', fr: 'Bonjour', pt: 'Olá', de: 'Hallo', it: 'Ciao' };
const greet = (language: WelcomeLanguage, name: string | null) => (name ? `${hi[language]} ${name}` : hi[language]);

// No service, staff name or notes: an SMS shows on a lock screen, so it says only when.
const TEMPLATES: Record<BookingMessageKind, Record<WelcomeLanguage, Template>> = {
  booking_confirmation: {
    en: (t) => `${greet('en', t.firstName)}, your CareOS appointment is booked for ${t.when}. Reply STOP to opt out.`,
    es: (t) => `${greet('es', t.firstName)}, tu cita con CareOS está reservada para el ${t.when}. Responde STOP para no recibir más mensajes.`,
    fr: (t) => `${greet('fr', t.firstName)}, votre rendez-vous CareOS est fixé au ${t.when}. Répondez STOP pour vous désabonner.`,
    pt: (t) => `${greet('pt', t.firstName)}, sua consulta com a CareOS está marcada para ${t.when}. Responda STOP para cancelar.`,
    de: (t) => `${greet('de', t.firstName)}, Ihr CareOS-Termin ist für ${t.when} gebucht. Antworten Sie STOP zum Abbestellen.`,
    it: (t) => `${greet('it', t.firstName)}, il tuo appuntamento CareOS è fissato per ${t.when}. Rispondi STOP per non ricevere altri messaggi.`,
  },
  booking_reminder: {
    en: (t) => `${greet('en', t.firstName)}, a reminder of your CareOS appointment on ${t.when}. Reply STOP to opt out.`,
    es: (t) => `${greet('es', t.firstName)}, te recordamos tu cita con CareOS el ${t.when}. Responde STOP para no recibir más mensajes.`,
    fr: (t) => `${greet('fr', t.firstName)}, rappel de votre rendez-vous CareOS le ${t.when}. Répondez STOP pour vous désabonner.`,
    pt: (t) => `${greet('pt', t.firstName)}, lembrete da sua consulta com a CareOS em ${t.when}. Responda STOP para cancelar.`,
    de: (t) => `${greet('de', t.firstName)}, wir erinnern an Ihren CareOS-Termin am ${t.when}. Antworten Sie STOP zum Abbestellen.`,
    it: (t) => `${greet('it', t.firstName)}, ti ricordiamo l'appuntamento CareOS del ${t.when}. Rispondi STOP per non ricevere altri messaggi.`,
  },
  booking_form_reminder: {
    en: (t) => `${greet('en', t.firstName)}, please fill in your CareOS forms before your appointment on ${t.when}. Reply STOP to opt out.`,
    es: (t) => `${greet('es', t.firstName)}, completa tus formularios de CareOS antes de tu cita del ${t.when}. Responde STOP para no recibir más mensajes.`,
    fr: (t) => `${greet('fr', t.firstName)}, merci de remplir vos formulaires CareOS avant votre rendez-vous du ${t.when}. Répondez STOP pour vous désabonner.`,
    pt: (t) => `${greet('pt', t.firstName)}, preencha seus formulários da CareOS antes da consulta de ${t.when}. Responda STOP para cancelar.`,
    de: (t) => `${greet('de', t.firstName)}, bitte füllen Sie Ihre CareOS-Formulare vor Ihrem Termin am ${t.when} aus. Antworten Sie STOP zum Abbestellen.`,
    it: (t) => `${greet('it', t.firstName)}, compila i moduli CareOS prima dell'appuntamento del ${t.when}. Rispondi STOP per non ricevere altri messaggi.`,
  },
};

/** The local date and time of `instant` in `timeZone`, written the way `language` writes it, with the zone's short name. */
export function localTime(instant: Date, timeZone: string, language: WelcomeLanguage): string {
  return new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(instant) + ` (${zoneName(instant, timeZone, language)})`;
}

function zoneName(instant: Date, timeZone: string, language: WelcomeLanguage): string {
  const part = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/**
 * A booking SMS: `kind` in the contact's language (English when it has no template), the start
 * in the business's time zone, the contact greeted by first name when known.
 */
export function bookingMessage(kind: BookingMessageKind, input: { languageTag: string; name: string | null; startsAt: Date; timeZone: string }): { language: WelcomeLanguage; body: string } {
  const language = welcomeLanguage(input.languageTag);
  const firstName = input.name?.trim().split(/\s+/)[0]?.slice(0, 40) || null;
  return { language, body: TEMPLATES[kind][language]({ firstName, when: localTime(input.startsAt, input.timeZone, language) }) };
}
