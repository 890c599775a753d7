import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AuditRecorder, readAudit } from '../../../src/case/audit.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { richTextPlain } from '../../../src/case/plainText.ts';
import { fingerprint, generateDeviceIdentity, signBytes } from '../../../src/crypto/identity.ts';
import { accessReportHtml } from '../../../src/ui/client/accessReport.ts';

/** The client's copy of their data (Art. 15): readable, complete, and inert whatever the case says. */
describe('access report', () => {
  it('lists every section, removed entries, consents and the trail, with every value escaped', async () => {
    const identity = await generateDeviceIdentity();
    const fp = await fingerprint(identity.publicKeys);
    const doc = new Y.Doc();
    CaseDocument.initialize(doc, { displayName: 'Lea <b>M.</b>', team: 'U25' });
    const caseDoc = new CaseDocument(doc);
    const recorder = new AuditRecorder(caseDoc, {
      fingerprint: fp,
      keys: identity.publicKeys,
      sign: (bytes) => signBytes(identity, bytes),
      who: () => ({ name: 'Frau Aydin', role: 'fallmanager' }),
    });
    const goal = caseDoc.addGoal('haupt', 'Ausbildung <script>alert(1)</script>');
    caseDoc.goalText(goal, 'clientWords').set('Ich will "Pflege" & mehr');
    const gone = caseDoc.addStep('Alter Schritt');
    caseDoc.removeStep(gone);
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Lebt mit Tochter.')]);
    doc.getXmlFragment('ausgangslage').insert(0, [p]);
    await recorder.settled();

    const html = accessReportHtml({
      view: caseDoc.view(),
      situation: richTextPlain(caseDoc, 'ausgangslage'),
      audit: await readAudit(caseDoc),
      generatedAt: Date.UTC(2026, 10, 23, 12),
    });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>M.</b>');
    expect(html).toContain('Ausbildung &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Ich will &#34;Pflege&#34; &#38; mehr');
    for (const text of ['Ausgangslage', 'Lebt mit Tochter.', 'Ziele', 'Schritte im Hilfeplan', 'Einwilligungen', 'Teilnehmende', 'Entfernte Einträge', 'Alter Schritt', 'Verlauf: wer hat wann was geändert', 'Frau Aydin (Fallmanager/in)', 'geändert: eigene Worte']) {
      expect(html).toContain(text);
    }
    recorder.stop();
  });
});
