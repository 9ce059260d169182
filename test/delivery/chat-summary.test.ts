import { describe, expect, it } from 'vitest';
import { summarizeNotice } from '../../worker/delivery/chat/summary.ts';
import { workerStrings } from '../../worker/i18n/index.ts';
import { noticeSubject } from '../../worker/notices/notice.ts';
import { KINDS, LOCALES, noticeOf, settingsFor } from './fixtures.ts';

describe('the chat summary of a notice', () => {
  it('tells every kind of notice in every language with the mails’ words, a link and small print', () => {
    for (const locale of LOCALES) {
      const words = workerStrings(locale);
      for (const kind of KINDS) {
        const summary = summarizeNotice(noticeOf(kind), settingsFor(locale));
        expect(summary.kind).toBe(kind);
        expect(summary.title.trim(), `${kind} ${locale}`).not.toBe('');
        expect(summary.lead.trim(), `${kind} ${locale}`).not.toBe('');
        expect(summary.subject.startsWith(`${summary.siteName} · `)).toBe(true);
        expect(summary.notes.at(-1)).toBe(words.chat.footer[summary.audience](summary.siteName));
        // A notice about an incident or a window links to its page; a confirmation to its confirm link.
        const about = noticeSubject(noticeOf(kind));
        if (about.incidentId || about.maintenanceId || kind === 'subscription.confirm') expect(summary.primary?.url, `${kind} ${locale}`).toMatch(/^https:\/\//);
      }
    }
  });

  it('gives an incident its title, state, severity, components, times in the reader’s zone and UTC, the update and its page', () => {
    const summary = summarizeNotice(noticeOf('incident.updated'), settingsFor('en'));
    expect(summary.title).toBe('Incident update: Caída del correo');
    expect(summary.subject).toBe('Prueba Hosting · [High] Update: Caída del correo');
    expect(summary.tone).toBe('major');
    expect(summary.facts).toEqual([
      { label: 'Status', value: 'Identified' },
      { label: 'Severity', value: 'High (2)' },
      { label: 'Affected services', value: 'Correo corporativo' },
      { label: 'Started', value: 'Friday, November 20, 2026 at 09:10 GMT-5 (America/Bogota) · 2026-11-20 14:10 UTC' },
    ]);
    expect(summary.message).toBe('Encontramos la causa.');
    expect(summary.primary).toEqual({ label: 'View on the status page', url: 'https://status.prueba.example/en/incidents/i1/' });
    expect(summary.links).toEqual([{ label: 'Manage preferences', url: 'https://status.prueba.example/subscriptions/manage?token=t1' }]);
    expect(summary.at).toBe('2026-11-20T14:10:00.000Z');
  });

  it('gives a window its state, times, components, calendar link and note, in Spanish and Portuguese', () => {
    const es = summarizeNotice(noticeOf('maintenance.announcement'), settingsFor('es'));
    expect(es.facts[0]).toEqual({ label: 'Estado', value: 'Programado' });
    expect(es.facts[3]).toEqual({ label: 'Servicios afectados', value: 'Hosting web, Correo corporativo' });
    expect(es.links[0]).toEqual({ label: workerStrings('es').mail.maintenance.addToCalendar, url: 'https://status.prueba.example/maintenances/m1.ics' });
    expect(es.message).toBe('Habrá cortes breves.\nNo se pierden datos.');
    const pt = summarizeNotice(noticeOf('maintenance.started'), settingsFor('pt-BR', { timeZone: 'America/Sao_Paulo' }));
    expect(pt.facts[0]).toEqual({ label: 'Status', value: 'Em andamento' });
    expect(pt.facts[1]!.value).toContain('(America/Sao_Paulo) · 2026-11-21 13:00 UTC');
    expect(pt.title).toBe(workerStrings('pt-BR').mail.maintenance.started.heading('Cambio de disco'));
  });

  it('says what changed: the previous times of a rescheduled window, the reason of a cancelled one (whose note no longer applies)', () => {
    const moved = summarizeNotice(noticeOf('maintenance.rescheduled'), settingsFor('en'));
    expect(moved.facts.find((f) => f.label === 'Previously')?.value).toMatch(/2026-11-22 13:00 UTC – .*2026-11-22 14:00 UTC$/);
    const cancelled = summarizeNotice(noticeOf('maintenance.cancelled'), settingsFor('en'));
    expect(cancelled.facts.find((f) => f.label === 'Reason')?.value).toBe('El proveedor lo pospuso');
    expect(cancelled.message).toBeNull();
    expect(cancelled.tone).toBe('cancelled');
  });

  it('asks a channel to confirm with the confirm link, its expiry and no preferences link', () => {
    const summary = summarizeNotice(noticeOf('subscription.confirm'), settingsFor('en'));
    expect(summary.audience).toBe('requester');
    expect(summary.lead).toContain('to this channel');
    expect(summary.primary).toEqual({ label: 'Confirm subscription', url: 'https://status.prueba.example/api/subscriptions/confirm?token=abc' });
    expect(summary.links).toEqual([]);
    expect(summary.notes[0]).toContain('2026-11-22 15:00 UTC');
  });

  it('tells admins of a late notice, an SLA target and paused mail', () => {
    const late = summarizeNotice(noticeOf('admin.late_notice'), settingsFor('en'));
    expect(late.lead).toContain('8h');
    expect(late.facts.map((f) => f.label)).toEqual(['Start', 'Notice deadline', 'Recipients', 'Accepted by the provider', 'Late or unsent']);
    expect(late.message).toContain('PATCH https://status.prueba.example/api/admin/maintenances/m1');
    const missed = summarizeNotice(noticeOf('admin.sla_warning', { breached: true }), settingsFor('en'));
    expect(missed.title).toBe('Response target missed');
    expect(missed.tone).toBe('danger');
    const paused = summarizeNotice(noticeOf('admin.mail_paused'), settingsFor('es'));
    expect(paused.facts[0]!.value).toBe(`${workerStrings('es').mail.admin.mailPaused.reasons.provider_refused} · invalid_api_key · API key is invalid`);
    expect(paused.message).toBe('POST https://status.prueba.example/api/admin/outbox/resume');
    for (const s of [late, missed, paused]) expect(s.links).toEqual([]);
  });

  it('links only to web addresses: a provider’s javascript: link is left out', () => {
    const summary = summarizeNotice(noticeOf('incident.opened', { upstream: { name: 'Proveedor', url: 'javascript:alert(1)' } }), settingsFor('es'));
    expect(summary.links.map((l) => l.url)).toEqual(['https://status.prueba.example/subscriptions/manage?token=t1']);
    const ok = summarizeNotice(noticeOf('incident.opened', { upstream: { name: 'Proveedor', url: 'https://status.proveedor.example/i/9' } }), settingsFor('es', { manageUrl: null }));
    expect(ok.links).toEqual([{ label: 'Aviso del proveedor', url: 'https://status.proveedor.example/i/9' }]);
    expect(ok.notes[0]).toContain('Proveedor');
  });
});
