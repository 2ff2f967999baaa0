/** XML text escaping for TwiML element content. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The TwiML answer to an inbound-message webhook: `<Response/>` (send nothing back) or one
 * `<Message>` Twilio sends to the sender.
 */
export function twiml(reply: string | null): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  return reply === null ? `${head}<Response/>` : `${head}<Response><Message>${escapeXml(reply)}</Message></Response>`;
}
