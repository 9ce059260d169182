import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../worker/config/load.ts';
import type { RunningVigia } from '../../worker/server.ts';
import { startFakeResend, type FakeResendServer } from '../fakes/resend-server.ts';
import { testClock } from '../helpers/app.ts';
import { TEST_CONFIG_YAML } from '../helpers/config.ts';
import { startMailingVigia } from '../helpers/server.ts';

const TOKEN = 'e2e-brazilian-admin-token';

/**
 * A visitor of the Brazilian page subscribes in Portuguese, through the running server, its jobs, the real templates
 * and the real resend SDK against the fake Resend API: the confirmation mail, the pages its links open, the
 * maintenance announcement and an incident notice all read in Portuguese, with times in the subscriber's zone; a
 * Spanish subscriber of the same window still gets Spanish.
 */
describe('a subscriber who reads Brazilian Portuguese', () => {
  let vigia: RunningVigia;
  let fake: FakeResendServer;
  let stop: () => Promise<void>;
  const clock = testClock('2026-11-23T12:00:00Z');
  const config = parseConfigText(
    TEST_CONFIG_YAML.replace('locales: [es, en]', 'locales: [es, en, pt-BR]').replace('name: { es: Alto, en: High }', 'name: { es: Alto, en: High, pt-BR: Alta }'),
    'pt.config.yaml',
  );

  const admin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${vigia.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const dispatch = () => vigia.jobs.find((j) => j.name === 'mail-dispatch')!.runNow();
  const mailsTo = (address: string) => fake.deliveries.filter((d) => d.to.includes(address));
  /** A link of a mail, opened on the running server (mail links carry the public address). */
  const open = (url: string, init?: RequestInit) => {
    const link = new URL(url);
    return fetch(`${vigia.url}${link.pathname}${link.search}`, init);
  };
  const linkAfter = (text: string, label: string) => new RegExp(`${label}: (https://\\S+)`).exec(text)?.[1];

  beforeAll(async () => {
    fake = await startFakeResend();
    // The upstream watch is not part of this story.
    ({ vigia, close: stop } = await startMailingVigia(fake, { config, now: clock.now, adminToken: TOKEN }));
    const imported = await admin('POST', '/api/admin/subscribers/import', 'email,components,locale,timezone\nana@cliente.example,hosting,es,America/Bogota\n', 'text/csv');
    expect(imported.body).toMatchObject({ created: 1, errors: [] });
  }, 60_000);

  afterAll(async () => {
    await stop?.();
    await fake?.close();
  });

  it('subscribes from the Brazilian page and confirms from a Portuguese mail', async () => {
    const form = new URLSearchParams([
      ['email', 'joao@cliente.example'],
      ['components', 'hosting'],
      ['locale', 'pt-BR'],
      ['timezone', 'America/Sao_Paulo'],
      ['incident_notices', 'on'],
      ['min_severity', '2'],
    ]);
    const posted = await fetch(`${vigia.url}/api/subscriptions?lang=pt-BR`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/pt-br/subscribe/sent/');

    await dispatch();
    const [confirm, ...more] = mailsTo('joao@cliente.example');
    expect(more).toEqual([]);
    expect(confirm!.subject).toBe('Prueba Hosting · Confirme sua assinatura de Prueba Hosting');
    expect(confirm!.html).toMatch(/^<!doctype html>\n<html lang="pt-BR">/);
    // 48 h from now, in São Paulo and in UTC.
    expect(confirm!.text).toContain('O link vence em quarta-feira, 25 de novembro de 2026 às 09:00 GMT-3 (America/Sao_Paulo) · 2026-11-25 12:00 UTC.');
    expect(confirm!.text).toContain('Este e-mail foi enviado para joao@cliente.example porque alguém pediu os avisos de Prueba Hosting para este endereço.');

    const page = await open(linkAfter(confirm!.text!, 'Confirmar assinatura')!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('Pronto: joao@cliente.example receberá os avisos de manutenção programada.');
  });

  it('gets the maintenance announcement in Portuguese, in São Paulo time, while a Spanish subscriber gets Spanish', async () => {
    const { status, body } = await admin('POST', '/api/admin/maintenances', {
      title: 'Migración de servidores',
      message: 'Migramos los servidores de hosting a nuevo hardware.',
      starts_at: '2026-11-23T21:00:00Z',
      ends_at: '2026-11-23T23:00:00Z',
      component_ids: ['hosting'],
    });
    expect(status).toBe(201);
    await dispatch();
    const [announcement] = mailsTo('joao@cliente.example').slice(1);
    expect(announcement!.subject).toBe('Prueba Hosting · Manutenção programada: Migración de servidores (seg., 23 de nov., 18:00 GMT-3)');
    expect(announcement!.text).toContain('Início: segunda-feira, 23 de novembro de 2026 às 18:00 GMT-3 (America/Sao_Paulo)\n  2026-11-23 21:00 UTC');
    expect(announcement!.text).toContain('Término previsto: segunda-feira, 23 de novembro de 2026 às 20:00 GMT-3 (America/Sao_Paulo)');
    expect(announcement!.text).toContain(`Ver na página de status: https://status.prueba.example/pt-br/maintenances/${body.maintenance.id}/`);
    expect(announcement!.text).toContain(`Adicionar à agenda: https://status.prueba.example/maintenances/${body.maintenance.id}.ics`);
    expect(announcement!.text).toContain('Você recebe este e-mail em joao@cliente.example porque assinou os avisos de Prueba Hosting.');
    expect(announcement!.headers['List-Unsubscribe-Post'] ?? announcement!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    const [spanish] = mailsTo('ana@cliente.example');
    expect(spanish!.subject).toBe('Prueba Hosting · Mantenimiento programado: Migración de servidores (lun, 23 de nov, 16:00 GMT-5)');

    // The preferences page its footer links to speaks Portuguese too.
    const manage = await open(linkAfter(announcement!.text!, 'Gerenciar preferências')!);
    expect(await manage.text()).toContain('<h1>Preferências de avisos</h1>');
  });

  it('gets an incident notice in Portuguese, with the severity’s Portuguese name', async () => {
    const opened = await admin('POST', '/api/admin/incidents', {
      title: 'Lentitud en el hosting',
      severity: 2,
      message: 'Investigamos demoras.',
      components: ['hosting'],
    });
    expect(opened.status).toBe(201);
    await dispatch();
    const notice = mailsTo('joao@cliente.example').find((d) => d.subject?.includes('Lentitud'));
    expect(notice!.subject).toBe('Prueba Hosting · [Alta] Incidente: Lentitud en el hosting');
    expect(notice!.text).toContain('Estamos tratando um incidente que afeta serviços que você acompanha.');
    expect(notice!.text).toContain('Severidade: Alta (2)');
    expect(notice!.text).toContain('Início: segunda-feira, 23 de novembro de 2026 às 09:00 GMT-3 (America/Sao_Paulo)');
    expect(fake.duplicates('ref')).toEqual([]);
  });
});
