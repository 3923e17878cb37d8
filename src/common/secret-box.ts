import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DECRYPT_ERROR = 'cannot decrypt secret';
/** Opened secrets kept in memory at most; past it the oldest go first. */
const OPENED_MAX = 10_000;

/** AES-256-GCM for secrets at rest: sealed text is `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`. */
export class SecretBox {
  private readonly key: Buffer;
  /**
   * Opened secrets by their sealed text, so hot paths (every ingest verification, every delivery's
   * signature) decrypt each secret once: a sealed text always opens to the same secret under this
   * key, a new secret is sealed under a fresh IV (a new text), and a tampered text is another key
   * that still has to pass the tag check. Failures are not remembered: they throw each time.
   */
  private readonly opened = new Map<string, string>();

  /** Takes the 32-byte key (AppConfig.encryptionKey); throws on any other length. */
  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new Error(`SecretBox key must be ${KEY_BYTES} bytes`);
    }
    this.key = Buffer.from(key);
  }

  /** Encrypts `plain` (UTF-8) under a fresh random 12-byte IV. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, b64url(iv), b64url(cipher.getAuthTag()), b64url(ciphertext)].join('.');
  }

  /** Decrypts sealed text; throws `Error('cannot decrypt secret')` on tampering, a wrong key or a bad format. */
  open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.decrypt(sealed);
      if (this.opened.size >= OPENED_MAX) this.opened.delete(this.opened.keys().next().value as string);
      this.opened.set(sealed, plain);
    }
    return plain;
  }

  private decrypt(sealed: string): string {
    const parts = parseSealed(sealed);
    if (!parts) throw new Error(DECRYPT_ERROR);
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(DECRYPT_ERROR);
    }
  }
}

/** Whether `text` has the form of sealed text (`v1.<iv>.<tag>.<ciphertext>`); says nothing of the key it opens with. */
export function isSealed(text: unknown): boolean {
  return parseSealed(text) !== undefined;
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Decodes canonical base64url only, so that no two texts open to the same bytes; undefined otherwise. */
function fromB64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return b64url(bytes) === text ? bytes : undefined;
}

/** Splits `v1.<iv>.<tag>.<ciphertext>` into its parts; undefined when anything is off. */
function parseSealed(sealed: unknown): { iv: Buffer; tag: Buffer; ciphertext: Buffer } | undefined {
  if (typeof sealed !== 'string') return undefined;
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const [iv, tag, ciphertext] = parts.slice(1).map(fromB64url);
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  return { iv, tag, ciphertext };
}
