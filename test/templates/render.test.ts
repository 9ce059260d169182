import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../worker/config/schema.ts';
import { parseConfigText } from '../../worker/config/load.ts';
import es from '../../worker/i18n/es.ts';
import ptBR from '../../worker/i18n/pt-BR.ts';
import { createMailRenderer, MailRenderError, type RenderableRow } from '../../worker/mail/render.ts';
import { TEMPLATE_NAMES } from '../../worker/mail/templates/index.ts';
import { loadSigningSecret, verifySubscriberToken } from '../../worker/subscribers/links.ts';
import { testApp } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { insertSubscriber, outboxRows } from '../notices/fixtures.ts';
import { incident, maintenance, queuedRow, SAMPLES } from './samples.ts';

describe('mail templates', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let render: ReturnType<typeof createMailRenderer>;
  let subscriberId: string;
  const row = (template: string, locale: Locale, data: Record<string, unknown>, extra: Partial<RenderableRow> = {}): RenderableRow => ({
    ...queuedRow(template, data, { locale, target: 'ana@cliente.example', subscriberId: template.startsWith('admin.') ? null : subscriberId }),
    ...extra,
  });

  beforeAll(async () => {
    t = await testApp();
    render = createMailRenderer(t.ctx);
    subscriberId = await insertSubscriber(t.database.db, { email: 'ana@cliente.example', timezone: 'Asia/Kolkata' });
  });
  afterAll(() => t.close());

  it('has every template the product sends', () => {
    expect(TEMPLATE_NAMES.sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  for (const name of Object.keys(SAMPLES)) {
    for (const locale of LOCALES) {
      it(`${name} renders in ${locale}: subject, lang, HTML and text`, async () => {
        const mail = await render(row(name, locale, SAMPLES[name]!));
        expect(mail.subject).toMatch(/^Prueba Hosting · \S/);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}">`));
        expect(mail.html).toContain(`lang="${locale}"`);
        expect(mail.text.length).toBeGreaterThan(80);
        expect(mail.html).not.toMatch(/<img|<script/i);
        const subscriberMail = !name.startsWith('admin.') && !name.startsWith('account.') && name !== 'subscription.confirm';
        expect(Boolean(mail.headers['List-Unsubscribe'])).toBe(subscriberMail);
      });
    }
  }

  it('writes subjects in the reader’s language', async () => {
    expect((await render(row('maintenance.announcement', 'es', maintenance))).subject).toBe(
      'Prueba Hosting · Mantenimiento programado: Cambio de disco (sáb, 21 de nov, 08:00 GMT-5)',
    );
    expect((await render(row('maintenance.announcement', 'en', { ...maintenance, timeZone: 'Europe/Madrid' }))).subject).toBe(
      'Prueba Hosting · Scheduled maintenance: Cambio de disco (Sat, Nov 21, 14:00 GMT+1)',
    );
    expect((await render(row('incident.opened', 'es', incident))).subject).toBe('Prueba Hosting · [Alto] Incidente: Caída del correo');
    expect((await render(row('incident.resolved', 'en', incident))).subject).toBe('Prueba Hosting · Resolved: Caída del correo');
    expect((await render(row('subscription.confirm', 'en', SAMPLES['subscription.confirm']!))).subject).toBe(
      'Prueba Hosting · Confirm your subscription to Prueba Hosting',
    );
  });

  it('shows times in the subscriber’s time zone and in UTC', async () => {
    const es = await render(row('maintenance.announcement', 'es', maintenance));
    expect(es.text).toContain('sábado, 21 de noviembre de 2026, 08:00 GMT-5 (America/Bogota)');
    expect(es.text).toContain('2026-11-21 13:00 UTC');
    expect(es.text).toContain('sábado, 21 de noviembre de 2026, 10:30 GMT-5 (America/Bogota)');
    const en = await render(row('maintenance.announcement', 'en', { ...maintenance, timeZone: 'Europe/Madrid' }));
    expect(en.text).toContain('Saturday, November 21, 2026 at 14:00 GMT+1 (Europe/Madrid)');
    expect(en.html).toContain('Saturday, November 21, 2026 at 14:00 GMT+1 (Europe/Madrid)<br>2026-11-21 13:00 UTC');
  });

  it('without a zone in the data, uses the subscriber’s stored zone', async () => {
    const mail = await render(row('subscription.confirm', 'es', SAMPLES['subscription.confirm']!));
    expect(mail.text).toContain('20:30 GMT+5:30 (Asia/Kolkata)');
    expect(mail.text).toContain('2026-11-22 15:00 UTC');
  });

  it('carries one-click unsubscribe (RFC 8058) and visible manage / unsubscribe links for the right subscriber', async () => {
    const mail = await render(row('maintenance.reminder', 'es', SAMPLES['maintenance.reminder']!));
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const header = mail.headers['List-Unsubscribe']!;
    expect(header).toMatch(/^<https:\/\/status\.prueba\.example\/api\/subscriptions\/unsubscribe\?token=[^>]+>$/);
    const token = decodeURIComponent(new URL(header.slice(1, -1)).searchParams.get('token')!);
    const secret = await loadSigningSecret(t.database.db);
    expect(verifySubscriberToken(secret, 'unsubscribe', token)).toBe(subscriberId);
    expect(mail.html).toContain(`href="${header.slice(1, -1).replace(/&/g, '&amp;')}"`);
    expect(mail.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/api\/subscriptions\/unsubscribe\?token=[^"]+" [^>]*>Cancelar suscripción<\/a>/);
    expect(mail.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/api\/subscriptions\/manage\?token=[^"]+" [^>]*>Administrar preferencias<\/a>/);
    expect(mail.text).toMatch(/Cancelar suscripción: https:\/\/status\.prueba\.example\/api\/subscriptions\/unsubscribe\?token=/);
    expect(mail.text).toMatch(/Administrar preferencias: https:\/\/status\.prueba\.example\/api\/subscriptions\/manage\?token=/);
  });

  it('links to the window’s page (in the reader’s language) and its calendar file', async () => {
    const es = await render(row('maintenance.announcement', 'es', maintenance));
    expect(es.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/maintenances\/m1\/" [^>]*>Ver en la página de estado<\/a>/);
    expect(es.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/maintenances\/m1\.ics" [^>]*>Agregar al calendario<\/a>/);
    const en = await render(row('maintenance.announcement', 'en', maintenance));
    expect(en.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/en\/maintenances\/m1\/" [^>]*>View on the status page<\/a>/);
    expect(en.text).toContain('Add to calendar: https://status.prueba.example/maintenances/m1.ics');
  });

  it('escapes a hostile title and message in HTML, and keeps them out of headers', async () => {
    const hostile = {
      ...maintenance,
      title: '<script>alert("x")</script> & <b>bold</b>\r\nBcc: victim@example.com',
      message: '<img src=x onerror=alert(1)>\n<a href="javascript:alert(1)">click</a>',
      upstream: { name: '<i>Proveedor</i>', url: 'javascript:alert(1)' },
    };
    const mail = await render(row('maintenance.announcement', 'es', hostile));
    expect(mail.html).not.toMatch(/<script|<img|<b>|<i>|href="javascript/i);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('&lt;i&gt;Proveedor&lt;/i&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('<script>alert("x")</script> & <b>bold</b> Bcc: victim@example.com');
    // The plain-text part is text: shown as typed, never interpreted.
    expect(mail.text).toContain('> <img src=x onerror=alert(1)>');
  });

  it('renders the rows the producers really queue', async () => {
    const res = await t.request('/api/admin/maintenances', {
      method: 'POST',
      json: { title: 'Migración <del>urgente</del>', starts_at: '2026-11-21T13:00:00Z', ends_at: '2026-11-21T14:00:00Z', component_ids: ['hosting'] },
    });
    expect(res.status).toBe(201);
    const [queued] = await outboxRows(t.database.db, { kind: 'maintenance.announcement' });
    const mail = await render(queued!);
    expect(mail.subject).toContain('Mantenimiento programado: Migración <del>urgente</del>');
    expect(mail.html).toContain('Migración &lt;del&gt;urgente&lt;/del&gt;');
    expect(mail.text).toContain('Hosting web');
    expect(mail.text).toContain('18:30 GMT+5:30 (Asia/Kolkata)');
    expect(mail.headers['List-Unsubscribe']).toBeTruthy();
  });

  it('says plainly why a row cannot be rendered', async () => {
    await expect(render(row('maintenance.unknown', 'es', {}))).rejects.toThrow(new MailRenderError('unknown mail template "maintenance.unknown"'));
    await expect(render(row('maintenance.announcement', 'es', { ...maintenance, startsAt: 'mañana' }))).rejects.toThrow(/bad data: startsAt: must be an ISO-8601 instant/);
    await expect(render(row('incident.opened', 'es', { ...incident, title: undefined }))).rejects.toThrow(/bad data: title/);
    await expect(render(row('maintenance.announcement', 'es', maintenance, { subscriberId: null }))).rejects.toThrow(/no unsubscribe link/);
  });

  it('admin mails name the late window and the start that would keep the promise', async () => {
    const mail = await render(row('admin.late_notice', 'es', SAMPLES['admin.late_notice']!));
    expect(mail.subject).toBe('Prueba Hosting · Aviso tardío de mantenimiento: Cambio de disco');
    expect(mail.text).toContain('con 8h de anticipación');
    expect(mail.text).toContain('2026-11-20 23:15 UTC');
    expect(mail.text).toContain('PATCH https://status.prueba.example/api/admin/maintenances/m1');
    const paused = await render(row('admin.mail_paused', 'en', SAMPLES['admin.mail_paused']!));
    expect(paused.subject).toBe('Prueba Hosting · Mail sending paused: the provider refuses to send');
    expect(paused.text).toContain('the provider refuses to send · invalid_api_key · API key is invalid');
    expect(paused.text).toContain('POST https://status.prueba.example/api/admin/outbox/resume');
    const sla = await render(row('admin.sla_warning', 'es', SAMPLES['admin.sla_warning']!));
    expect(sla.subject).toBe('Prueba Hosting · SLA: vence el plazo de respuesta de «Caída del correo»');
    expect(sla.text).toContain('Crítico (1)');
    const missed = await render(row('admin.sla_warning', 'en', { ...SAMPLES['admin.sla_warning']!, breached: true }));
    expect(missed.subject).toBe('Prueba Hosting · SLA: response target missed for "Caída del correo"');
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of a strings table that are plain text (not functions of values), with their paths. */
function plainWords(table: unknown, path = ''): [string, string][] {
  if (typeof table === 'string') return [[path, table]];
  if (!table || typeof table !== 'object') return [];
  return Object.entries(table).flatMap(([key, value]) => plainWords(value, `${path}.${key}`));
}

describe('mail templates in Brazilian Portuguese', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let render: ReturnType<typeof createMailRenderer>;
  let subscriberId: string;
  // A site that publishes pt-BR, with a Portuguese name for severity 2 (severity 1 has none: the Spanish one is used).
  const config = parseConfigText(
    TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]').replace('name: { es: Alto, en: High }', 'name: { es: Alto, en: High, pt-BR: Alta }'),
    'pt.config.yaml',
  );
  const zoned = { ...maintenance, timeZone: 'America/Sao_Paulo' };
  const render_ = (template: string, data: Record<string, unknown>) =>
    render(queuedRow(template, data, { locale: 'pt-BR', target: 'joao@cliente.example', subscriberId: template.startsWith('admin.') ? null : subscriberId }));

  beforeAll(async () => {
    t = await testApp({ config });
    render = createMailRenderer(t.ctx);
    subscriberId = await insertSubscriber(t.database.db, { email: 'joao@cliente.example', locale: 'pt-BR', timezone: 'America/Sao_Paulo' });
  });
  afterAll(() => t.close());

  // Subject and a sentence of the body of each template, as a Brazilian reader gets them.
  const EXPECTED: Record<string, { data: Record<string, unknown>; subject: string; says: string[] }> = {
    'maintenance.announcement': {
      data: zoned,
      subject: 'Prueba Hosting · Manutenção programada: Cambio de disco (sáb., 21 de nov., 10:00 GMT-3)',
      says: ['Avisamos com antecedência sobre uma manutenção que pode afetar os serviços que você acompanha.', 'Término previsto: sábado, 21 de novembro de 2026 às 12:30 GMT-3 (America/Sao_Paulo)', 'Serviços afetados: Hosting web, Correo corporativo', 'Adicionar à agenda: https://status.prueba.example/maintenances/m1.ics'],
    },
    'maintenance.reminder': {
      data: { ...zoned, offsetMs: 3_600_000 },
      subject: 'Prueba Hosting · Lembrete: manutenção "Cambio de disco" (sáb., 21 de nov., 10:00 GMT-3)',
      says: ['A manutenção que anunciamos começa em breve.'],
    },
    'maintenance.rescheduled': {
      data: { ...zoned, previousStartsAt: '2026-11-22T13:00:00.000Z', previousEndsAt: '2026-11-22T14:00:00.000Z' },
      subject: 'Prueba Hosting · Manutenção reagendada: Cambio de disco (sáb., 21 de nov., 10:00 GMT-3)',
      says: ['Mudamos o horário desta manutenção. Este é o novo:', 'Antes: domingo, 22 de novembro de 2026 às 10:00 GMT-3 (America/Sao_Paulo)', 'Atualizar sua agenda: '],
    },
    'maintenance.cancelled': {
      data: { ...zoned, reason: 'El proveedor lo pospuso' },
      subject: 'Prueba Hosting · Manutenção cancelada: Cambio de disco',
      says: ['A manutenção prevista não será mais realizada.', 'Motivo: El proveedor lo pospuso'],
    },
    'maintenance.started': { data: zoned, subject: 'Prueba Hosting · Manutenção em andamento: Cambio de disco', says: ['A manutenção começou. Avisaremos você quando terminar.'] },
    'maintenance.completed': {
      data: zoned,
      subject: 'Prueba Hosting · Manutenção concluída: Cambio de disco',
      says: ['A manutenção terminou e os serviços funcionam normalmente.'],
    },
    'incident.opened': {
      data: { ...incident, timeZone: 'America/Sao_Paulo' },
      subject: 'Prueba Hosting · [Alta] Incidente: Caída del correo',
      says: ['Estamos tratando um incidente que afeta serviços que você acompanha.', 'Severidade: Alta (2)', 'Status: Identificado', 'Início: sexta-feira, 20 de novembro de 2026 às 11:10 GMT-3 (America/Sao_Paulo)'],
    },
    'incident.updated': {
      data: { ...incident, timeZone: 'America/Sao_Paulo' },
      subject: 'Prueba Hosting · [Alta] Atualização: Caída del correo',
      says: ['Há novidades sobre este incidente.', 'Ver na página de status: https://status.prueba.example/pt-br/incidents/i1/'],
    },
    'incident.resolved': {
      data: { ...incident, status: 'resolved', resolvedAt: '2026-11-20T16:00:00.000Z', timeZone: 'America/Sao_Paulo' },
      subject: 'Prueba Hosting · Resolvido: Caída del correo',
      says: ['O incidente está resolvido. Obrigado pela paciência.', 'Status: Resolvido', 'Resolvido: sexta-feira, 20 de novembro de 2026 às 13:00 GMT-3'],
    },
    'subscription.confirm': {
      data: SAMPLES['subscription.confirm']!,
      subject: 'Prueba Hosting · Confirme sua assinatura de Prueba Hosting',
      // No zone in the data: the subscriber's stored one.
      says: ['Confirmar assinatura: https://status.prueba.example/api/subscriptions/confirm?token=abc', 'O link vence em domingo, 22 de novembro de 2026 às 12:00 GMT-3 (America/Sao_Paulo) · 2026-11-22 15:00 UTC.'],
    },
    'account.password_link': {
      data: { ...SAMPLES['account.password_link']!, timeZone: 'America/Sao_Paulo' },
      subject: 'Prueba Hosting · Redefinir sua senha de Prueba Hosting',
      says: ['Escolher uma nova senha: https://status.prueba.example/admin/password/?token=abc', 'O link funciona uma vez e vence em'],
    },
    'admin.late_notice': {
      data: { ...SAMPLES['admin.late_notice']!, timeZone: 'America/Sao_Paulo' },
      subject: 'Prueba Hosting · Aviso de manutenção atrasado: Cambio de disco',
      says: ['não chegou a todos os assinantes com 8h de antecedência', 'Destinatários: 2', 'O início mais próximo que o cumpre é:'],
    },
    'admin.sla_warning': {
      data: SAMPLES['admin.sla_warning']!,
      subject: 'Prueba Hosting · SLA: o prazo de resposta de "Caída del correo" está vencendo',
      says: ['Prazo de resposta prestes a vencer', 'Severidade: Crítico (1)', 'Ver o incidente: https://status.prueba.example/pt-br/incidents/i1/'],
    },
    'admin.channel_disabled': {
      data: SAMPLES['admin.channel_disabled']!,
      subject: 'Prueba Hosting · Assinatura webhook desativada: hooks.cliente.example',
      says: ['O receptor falhou por tempo demais', 'Falhas seguidas: 1'],
    },
    'admin.mail_paused': {
      data: SAMPLES['admin.mail_paused']!,
      subject: 'Prueba Hosting · Envio de e-mails pausado: o provedor recusa os envios',
      says: ['Os avisos continuam na fila', 'Até: um administrador retomar o envio'],
    },
    'admin.mail_failing': {
      data: SAMPLES['admin.mail_failing']!,
      subject: 'Prueba Hosting · O provedor de e-mail está falhando',
      says: ['Os avisos continuam na fila e são repetidos', 'Tentativas: 9', 'Mensagens aguardando no lote: 40'],
    },
  };

  it('covers every template', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });

  // Every plain word of the Spanish table that Portuguese says differently; none may show in a Portuguese mail.
  const es_ = new Map(plainWords(es.mail));
  const spanishOnly = plainWords(ptBR.mail)
    .filter(([path, portuguese]) => es_.get(path) !== portuguese)
    .map(([path]) => es_.get(path)!);

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} reads in Portuguese: subject, body, dates and footer, in HTML and text`, async () => {
      const mail = await render_(name, expected.data);
      expect(mail.subject).toBe(expected.subject);
      expect(mail.html).toMatch(/^<!doctype html>\n<html lang="pt-BR">/);
      for (const sentence of expected.says) {
        expect(mail.text).toContain(sentence);
        expect(mail.html).toContain(sentence.replace(/&/g, '&amp;').replace(/"/g, '&quot;').split(': ')[0]!);
      }
      if (name.startsWith('admin.') || name.startsWith('account.')) expect(mail.text).toContain('Aviso para os administradores de Prueba Hosting.');
      else if (name === 'subscription.confirm') expect(mail.text).toContain('Este e-mail foi enviado para joao@cliente.example porque alguém pediu os avisos de Prueba Hosting');
      else {
        expect(mail.text).toContain('Você recebe este e-mail em joao@cliente.example porque assinou os avisos de Prueba Hosting.');
        expect(mail.html).toMatch(/<a href="https:\/\/status\.prueba\.example\/api\/subscriptions\/manage\?token=[^"]+" [^>]*>Gerenciar preferências<\/a>/);
        expect(mail.text).toMatch(/Cancelar assinatura: https:\/\/status\.prueba\.example\/api\/subscriptions\/unsubscribe\?token=/);
      }
      // As whole words: "Severidad" must not show, "Severidade" may.
      for (const spanish of spanishOnly) expect(mail.text, spanish).not.toMatch(new RegExp(`(?<!\\p{L})${escapeRegExp(spanish)}(?!\\p{L})`, 'u'));
      expect(mail.text).not.toMatch(/noviembre/);
    });
  }

  it('falls back to the page’s default language for a row in a language the worker does not write', async () => {
    const mail = await render(queuedRow('incident.opened', incident, { locale: 'fr', target: 'joao@cliente.example', subscriberId }));
    expect(mail.html).toMatch(/<html lang="es">/);
    expect(mail.subject).toBe('Prueba Hosting · [Alto] Incidente: Caída del correo');
  });
});
