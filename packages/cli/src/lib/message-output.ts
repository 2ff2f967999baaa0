import type { ConversationParams, Message, MessageStatus } from '@careos/sdk';
import type { Command } from 'commander';
import { oneOf } from './option-parsers.js';
import { pageOptions } from './staff-command.js';
import { keyValues, table, type Output } from './output.js';

/** Filters `careos messages list|get` share. */
export interface MessageFilterOptions {
  direction?: 'outbound' | 'inbound';
  status?: MessageStatus;
  kind?: string;
  automated?: boolean;
  limit?: number;
  cursor?: string;
}

/** Adds the filter and paging options to a `messages` verb. */
export function addMessageFilters(command: Command): Command {
  return pageOptions(command)
    .option('--direction <direction>', 'outbound or inbound', oneOf(['outbound', 'inbound'] as const))
    .option('--status <status>', 'queued, sending, sent, failed, cancelled or received', oneOf<MessageStatus>(['queued', 'sending', 'sent', 'failed', 'cancelled', 'received']))
    .option('--kind <kind>', 'e.g. reply, welcome, inbound')
    .option('--automated', 'only messages automations sent')
    .option('--no-automated', 'only messages people wrote');
}

/** The query those options stand for (options not given are left out). */
export function messageFilters(options: MessageFilterOptions): ConversationParams {
  const { direction, status, kind, automated, limit, cursor } = options;
  const query: ConversationParams = { direction, status, kind, automated: automated === undefined ? undefined : automated ? 'true' : 'false', limit, cursor };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as ConversationParams;
}

/** A page of messages as a table, newest first, with the cursor of the next page. */
export function renderMessagePage(out: Output, body: { messages: Message[]; next_cursor: string | null }): string {
  if (body.messages.length === 0) return out.color.dim('No messages match.');
  const rows = body.messages.map((m) => [m.id, m.created_at.slice(0, 16).replace('T', ' '), m.user_id, m.direction === 'inbound' ? 'in' : 'out', m.kind, m.status, preview(m.body)]);
  const lines = [table(out.color, ['ID', 'WHEN', 'CONTACT', 'DIR', 'KIND', 'STATUS', 'TEXT'], rows)];
  if (body.next_cursor) lines.push(out.color.dim(`More: --cursor ${body.next_cursor}`));
  return lines.join('\n');
}

/** One message, field by field. */
export function renderMessage(out: Output, message: Message): string {
  return keyValues(out.color, [
    ['Message', message.id],
    ['Contact', message.user_id],
    ['Direction', message.direction],
    ['Kind', message.kind],
    ['Status', message.cancel_reason ? `${message.status} (${message.cancel_reason})` : message.status],
    ['To', message.to_masked],
    ['Text', message.body],
    ['Created', message.created_at],
  ]);
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}
