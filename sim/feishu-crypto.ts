import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// How Feishu protects what it posts to a bot: AES-256-CBC with key sha256(encryptKey) and a
// random IV in front, base64; signature sha256(timestamp + nonce + encryptKey + body).

export function encrypt(plain: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export function sign(timestamp: string, nonce: string, encryptKey: string, body: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), body])).digest('hex');
}

export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
