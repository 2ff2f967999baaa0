/** The seed document's receiver check: hex HMAC-SHA256 of the raw body keyed by the secret string. */
export function verifySignature(rawBody: string | Buffer, signature: string, secret: string): boolean;
