// The receiver snippet from the seed's webhook documentation, verbatim (only the import and the
// export are added), so tests prove that receivers written from that document keep working.
import crypto from 'node:crypto';

function verifySignature(rawBody, signature, secret) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
  return crypto.timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(expected, 'hex'));
}

export { verifySignature };
