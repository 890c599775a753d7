import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { followGrants, planGrants, grantScope, entitledDevices } from '../../../src/app/scopeKeys.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { fingerprint, generateDeviceIdentity } from '../../../src/crypto/identity.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';

const today = '2026-11-23';

async function device() {
  const identity = await generateDeviceIdentity();
  return { identity, fp: await fingerprint(identity.publicKeys) };
}

describe('scope grants', () => {
  it('grants a newly released topic, and rotates it when the topic is lost', async () => {
    const doc = new Y.Doc();
    const c = new CaseDocument(doc);
    const host = await device();
    const partner = await device();
    c.add('participants', { fields: { name: 'Frau Aydin', role: 'fallmanager', organisation: '', agreeKey: host.identity.publicKeys.agree, fingerprint: host.fp } });
    const partnerId = c.add('partners', { fields: { type: 'schuldnerberatung', cooperation: 'koordiniert' } });
    c.add('participants', {
      fields: { name: 'Herr Wolff', role: 'partner', organisation: '', partnerId, agreeKey: partner.identity.publicKeys.agree, fingerprint: partner.fp },
    });
    const consent = c.add('consents', { fields: { partnerId, validFrom: '2026-01-01', form: 'schriftlich' } });
    c.toggleInSet('consents', consent, 'topics', 'finanzen', true);
    const held = { 'topic:finanzen': newRoomSecret(), 'topic:gesundheit': newRoomSecret(), confidential: newRoomSecret() };

    // Finance: the partner is entitled and listed nowhere yet; health: only the host.
    expect(planGrants(doc, c.view(), held, today, host.fp)).toEqual({ grant: ['topic:finanzen'], rotate: [] });
    await grantScope(doc, 'topic:finanzen', held['topic:finanzen'], entitledDevices(c.view(), 'topic:finanzen', today));
    expect(planGrants(doc, c.view(), held, today, host.fp)).toEqual({ grant: [], rotate: [] });

    // Health is released: granted, and the partner's device picks it up.
    c.toggleInSet('consents', consent, 'topics', 'gesundheit', true);
    expect(planGrants(doc, c.view(), held, today, host.fp).grant).toEqual(['topic:gesundheit']);
    await grantScope(doc, 'topic:gesundheit', held['topic:gesundheit'], entitledDevices(c.view(), 'topic:gesundheit', today));
    const mine = { 'topic:finanzen': held['topic:finanzen'] };
    expect(await followGrants(doc, partner.identity, partner.fp, mine)).toEqual([['topic:gesundheit', held['topic:gesundheit']]]);

    // Health is withdrawn again: that scope, and only that one, gets a new key without him.
    c.toggleInSet('consents', consent, 'topics', 'gesundheit', false);
    expect(planGrants(doc, c.view(), held, today, host.fp)).toEqual({ grant: [], rotate: ['topic:gesundheit'] });
    const fresh = newRoomSecret();
    await grantScope(doc, 'topic:gesundheit', fresh, entitledDevices(c.view(), 'topic:gesundheit', today));
    const after = { ...held, 'topic:gesundheit': fresh };
    expect(planGrants(doc, c.view(), after, today, host.fp)).toEqual({ grant: [], rotate: [] });
    expect(await followGrants(doc, partner.identity, partner.fp, { ...mine, 'topic:gesundheit': held['topic:gesundheit'] })).toEqual([]);
    // The host's own device unwraps the new key.
    expect(await followGrants(doc, host.identity, host.fp, held)).toEqual([['topic:gesundheit', fresh]]);
  });
});
