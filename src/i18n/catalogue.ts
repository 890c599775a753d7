import * as core from './messages/core.ts';
import * as cases from './messages/cases.ts';
import * as caseView from './messages/case.ts';
import * as conference from './messages/conference.ts';
import * as assessment from './messages/assessment.ts';
import * as quality from './messages/quality.ts';
import * as partners from './messages/partners.ts';
import * as review from './messages/review.ts';
import * as agenda from './messages/agenda.ts';
import * as client from './messages/client.ts';
import * as lock from './messages/lock.ts';
import * as consent from './messages/consent.ts';
import * as versions from './messages/versions.ts';
import * as backup from './messages/backup.ts';
import * as audit from './messages/audit.ts';
import * as report from './messages/report.ts';
import * as dashboard from './messages/dashboard.ts';
import * as handover from './messages/handover.ts';
import * as closure from './messages/closure.ts';
import * as pwa from './messages/pwa.ts';
import * as a11y from './messages/a11y.ts';
import * as clientEasy from './messages/clientEasy.ts';

/**
 * The one message catalogue, assembled from per-feature modules (each owns its keys, so
 * features can grow without editing a shared file). Every module types its English half
 * against its German keys, so a missing translation does not compile.
 */
export const de = { ...core.de, ...cases.de, ...caseView.de, ...conference.de, ...assessment.de, ...quality.de, ...partners.de, ...review.de, ...agenda.de, ...client.de, ...lock.de, ...consent.de, ...backup.de, ...versions.de, ...audit.de, ...dashboard.de, ...handover.de, ...closure.de, ...report.de, ...pwa.de, ...a11y.de, ...clientEasy.de };
export const en: Record<MessageKey, string> = { ...core.en, ...cases.en, ...caseView.en, ...conference.en, ...assessment.en, ...quality.en, ...partners.en, ...review.en, ...agenda.en, ...client.en, ...lock.en, ...consent.en, ...backup.en, ...versions.en, ...audit.en, ...dashboard.en, ...handover.en, ...closure.en, ...report.en, ...pwa.en, ...a11y.en, ...clientEasy.en };

export type MessageKey = keyof typeof de;
