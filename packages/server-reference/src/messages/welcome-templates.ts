/** Languages the welcome SMS is written in. */
export const WELCOME_LANGUAGES = ['en', 'es', 'fr', 'pt', 'de', 'it'] as const;

/** One of {@link WELCOME_LANGUAGES}. */
export type WelcomeLanguage = (typeof WELCOME_LANGUAGES)[number];

/** `partner` is null for a contact staff added: the text then names no referrer. */
type Template = (firstName: string | null, partner: string | null) => string;

const TEMPLATES: Record<WelcomeLanguage, Template> = {
  en: (name, partner) =>
    `${name ? `Hi ${name}` : 'Hi'}, this is CareOS. Thanks for reaching out${partner ? ` through ${partner}` : ''}: a care coordinator will text you shortly. Reply STOP to opt out.`,
  es: (name, partner) =>
    `${name ? `Hola ${name}` : 'Hola'}, somos CareOS. Gracias por contactarnos${partner ? ` a través de ${partner}` : ''}: un coordinador de cuidados te escribirá en breve. Responde STOP para no recibir más mensajes.`,
  fr: (name, partner) =>
    `${name ? `Bonjour ${name}` : 'Bonjour'}, ici CareOS. Merci de nous avoir contactés${partner ? ` via ${partner}` : ''} : un coordinateur de soins vous écrira très bientôt. Répondez STOP pour vous désabonner.`,
  pt: (name, partner) =>
    `${name ? `Olá ${name}` : 'Olá'}, aqui é a CareOS. Obrigado por entrar em contato${partner ? ` pelo ${partner}` : ''}: um coordenador de cuidados vai enviar uma mensagem em breve. Responda STOP para cancelar.`,
  de: (name, partner) =>
    `${name ? `Hallo ${name}` : 'Hallo'}, hier ist CareOS. Danke für Ihre Anfrage${partner ? ` über ${partner}` : ''}: Unser Pflegeteam meldet sich in Kürze per SMS. Antworten Sie STOP zum Abbestellen.`,
  it: (name, partner) =>
    `${name ? `Ciao ${name}` : 'Ciao'}, siamo CareOS. Grazie per averci contattato${partner ? ` tramite ${partner}` : ''}: un coordinatore dell'assistenza ti scriverà a breve. Rispondi STOP per non ricevere altri messaggi.`,
};

/**
 * The template language for a language tag: exact match, else its base (`es-MX` → `es`,
 * `pt_BR` → `pt`), else English.
 */
export function welcomeLanguage(tag: string): WelcomeLanguage {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (WELCOME_LANGUAGES as readonly string[]).includes(base) ? (base as WelcomeLanguage) : 'en';
}

/**
 * The welcome SMS for a new contact, greeting them by first name when known and naming the
 * partner that referred them (`null` for a contact staff added).
 */
export function welcomeMessage(languageTag: string, userName: string | null | undefined, partnerName: string | null): { language: WelcomeLanguage; body: string } {
  const language = welcomeLanguage(languageTag);
  const firstName = userName?.trim().split(/\s+/)[0]?.slice(0, 40) || null;
  return { language, body: TEMPLATES[language](firstName, partnerName) };
}
