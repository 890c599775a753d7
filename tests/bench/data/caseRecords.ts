import { toBase64Url } from '../../../src/crypto/encoding.ts';
import { CaseRecord } from '../../../src/storage/caseRecord.ts';
import { rng } from '../lib/rng.ts';

const FIRST = 'Jonas Lea Mehmet Aylin Dennis Sofia Kevin Jana Ali Mia Lukas Emma Yusuf Lena Tim Zeynep Paul Nora'.split(' ');
const LAST = 'A. B. C. D. E. F. G. H. K. L. M. N. P. R. S. T. W. Z.'.split(' ');

/**
 * A case manager's local case list: `count` entries, some with a conference, validated with
 * the app's own schema so the list shows every one of them. Names are unique, so the probe
 * can tell by name when all are rendered.
 */
export function caseRecords(seed: number, count: number, now: number): CaseRecord[] {
  const random = rng(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => random.int(256));
  return Array.from({ length: count }, (_, i) => {
    const createdAt = now - random.between(1, 730) * 86_400_000;
    const withRoom = random.chance(0.3);
    return CaseRecord.parse({
      id: random.uuid(),
      displayName: `${random.pick(FIRST)} ${random.pick(LAST)} (${String(i + 1).padStart(3, '0')})`,
      team: random.chance(0.5) ? 'U25' : 'Ü25',
      ...(random.chance(0.6) ? { birthMonth: `${random.between(1998, 2008)}-${String(random.between(1, 12)).padStart(2, '0')}` } : {}),
      createdAt,
      updatedAt: createdAt + random.between(0, now - createdAt),
      ...(withRoom
        ? {
            room: { roomId: toBase64Url(bytes(16)), key: toBase64Url(bytes(32)) },
            me: { name: 'Frau Aydin', role: 'fallmanager' },
          }
        : {}),
    });
  });
}
