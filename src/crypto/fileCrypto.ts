import { z } from 'zod';
import { bufferSource, randomBytes, utf8 } from './bytes.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';
import { deriveKey, PBKDF2_ITERATIONS } from './passphrase.ts';

/**
 * A file encrypted with a passphrase the user chooses (backups). The file is a versioned JSON
 * envelope: PBKDF2-SHA256 parameters, AES-GCM-256 IV and ciphertext, all base64url. The header
 * is bound to the ciphertext as associated data, so a changed salt, iteration count or format
 * version fails decryption instead of being trusted.
 *
 * A small `check` value (a known text, encrypted with the same key and its own IV) tells a
 * wrong passphrase from an altered file: if the check opens but the content does not, the
 * passphrase was right and the content was changed or damaged.
 */

export const FILE_FORMAT = 'runder-tisch-sicherung';
export const FILE_VERSION = 1;
/** Files may raise the work factor; above this a file would only stall the tab. */
const MAX_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const CHECK_TEXT = 'runder-tisch sicherung check v1';

const B64 = z.string().regex(/^[A-Za-z0-9_-]*$/).max(200_000_000);

export const EncryptedFile = z.object({
  format: z.literal(FILE_FORMAT),
  version: z.literal(FILE_VERSION),
  kdf: z.object({
    name: z.literal('PBKDF2-SHA256'),
    iterations: z.number().int().min(1).max(MAX_ITERATIONS),
    salt: B64.min(16),
  }),
  cipher: z.object({ name: z.literal('AES-GCM'), iv: B64.min(16), checkIv: B64.min(16) }),
  check: B64.min(16),
  ciphertext: B64.min(22),
});
export type EncryptedFile = z.infer<typeof EncryptedFile>;

export type FileCryptoErrorKind = 'malformed' | 'passphrase' | 'tampered';

/** Why a file cannot be opened; nothing else is learnt from it. */
export class FileCryptoError extends Error {
  override name = 'FileCryptoError';
  readonly kind: FileCryptoErrorKind;
  constructor(kind: FileCryptoErrorKind) {
    super(`The file cannot be opened (${kind}).`);
    this.kind = kind;
  }
}

function headerAad(file: Pick<EncryptedFile, 'format' | 'version' | 'kdf'>, part: 'check' | 'content'): Uint8Array {
  return utf8(`${file.format}/${file.version}/${file.kdf.name}/${file.kdf.iterations}/${file.kdf.salt}/${part}`);
}

async function seal(key: CryptoKey, iv: Uint8Array, plain: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: bufferSource(iv), additionalData: bufferSource(aad) },
    key,
    bufferSource(plain),
  );
  return new Uint8Array(ct);
}

async function open(key: CryptoKey, iv: Uint8Array, data: Uint8Array, aad: Uint8Array): Promise<Uint8Array | null> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bufferSource(iv), additionalData: bufferSource(aad) },
      key,
      bufferSource(data),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** Encrypts `plain` under `passphrase`; returns the file's text. */
export async function encryptFile(plain: Uint8Array, passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const checkIv = randomBytes(IV_BYTES);
  const key = await deriveKey(passphrase, salt, iterations);
  const header = {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    kdf: { name: 'PBKDF2-SHA256', iterations, salt: toBase64Url(salt) },
  } as const;
  const file: EncryptedFile = {
    ...header,
    cipher: { name: 'AES-GCM', iv: toBase64Url(iv), checkIv: toBase64Url(checkIv) },
    check: toBase64Url(await seal(key, checkIv, utf8(CHECK_TEXT), headerAad(header, 'check'))),
    ciphertext: toBase64Url(await seal(key, iv, plain, headerAad(header, 'content'))),
  };
  return JSON.stringify(file);
}

/** The envelope of a file's text, or FileCryptoError('malformed'). */
export function parseEncryptedFile(text: string): EncryptedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileCryptoError('malformed');
  }
  const parsed = EncryptedFile.safeParse(json);
  if (!parsed.success) throw new FileCryptoError('malformed');
  return parsed.data;
}

function bytes(text: string, length?: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = fromBase64Url(text);
  } catch {
    throw new FileCryptoError('malformed');
  }
  if (length !== undefined && out.length !== length) throw new FileCryptoError('malformed');
  return out;
}

/** Decrypts a file's text; throws FileCryptoError ('malformed', 'passphrase' or 'tampered'). */
export async function decryptFile(text: string, passphrase: string): Promise<Uint8Array> {
  const file = parseEncryptedFile(text);
  const salt = bytes(file.kdf.salt, SALT_BYTES);
  const iv = bytes(file.cipher.iv, IV_BYTES);
  const checkIv = bytes(file.cipher.checkIv, IV_BYTES);
  const check = bytes(file.check);
  const ciphertext = bytes(file.ciphertext);
  const key = await deriveKey(passphrase, salt, file.kdf.iterations);
  const checked = await open(key, checkIv, check, headerAad(file, 'check'));
  if (!checked || new TextDecoder().decode(checked) !== CHECK_TEXT) throw new FileCryptoError('passphrase');
  const plain = await open(key, iv, ciphertext, headerAad(file, 'content'));
  if (!plain) throw new FileCryptoError('tampered');
  return plain;
}
