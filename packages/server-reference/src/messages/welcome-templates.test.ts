import { describe, expect, it } from 'vitest';
import { WELCOME_LANGUAGES, welcomeLanguage, welcomeMessage } from './welcome-templates.js';

describe('welcome SMS', () => {
  it.each([
    ['en', 'en'],
    ['ES', 'es'],
    ['es-MX', 'es'],
    ['pt_BR', 'pt'],
    ['fr-CA', 'fr'],
    ['de', 'de'],
    ['it-IT', 'it'],
    ['zh-Hant', 'en'],
    ['', 'en'],
  ])('picks the template for %s: %s', (tag, language) => {
    expect(welcomeLanguage(tag)).toBe(language);
  });

  it('greets by first name, names the partner, and offers STOP in every language', () => {
    for (const language of WELCOME_LANGUAGES) {
      const { body } = welcomeMessage(language, '  Ana  María López ', 'BusinessOS');
      expect(body).toContain('Ana');
      expect(body).not.toContain('López');
      expect(body).toContain('BusinessOS');
      expect(body).toContain('STOP');
    }
    expect(welcomeMessage('en', null, 'BusinessOS').body).toMatch(/^Hi, this is CareOS/);
  });
});
