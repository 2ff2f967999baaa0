import type { Contact } from '@careos/sdk';
import { keyValues, type Output } from './output.js';

/** A contact as `careos contacts get|create|update` print it. */
export function renderContact(out: Output, contact: Contact): string {
  return keyValues(out.color, [
    ['Contact', contact.id],
    ['Name', contact.name],
    ['Phone', contact.phone],
    ['Email', contact.email],
    ['Notes', contact.notes],
    ['Language', contact.language],
    ['Source', contact.source],
    ['Automation', contact.automation_paused ? 'paused' : 'on'],
    ['Created', contact.created_at],
    ['Updated', contact.updated_at],
  ]);
}
