import { describe, expect, it } from 'vitest';
import { CHAT_RENDERERS } from '../../worker/delivery/chat/renderers.ts';
import { KINDS, LOCALES, noticeOf, settingsFor } from './fixtures.ts';

describe('the chat renderers', () => {
  it('turn every kind of notice, in every language, into a JSON body that survives serialisation unchanged', () => {
    for (const [service, render] of Object.entries(CHAT_RENDERERS)) {
      for (const locale of LOCALES) {
        for (const kind of KINDS) {
          const body = render(noticeOf(kind), settingsFor(locale));
          expect(JSON.parse(JSON.stringify(body)), `${service} ${kind} ${locale}`).toStrictEqual(body);
        }
      }
    }
  });

  it('write each message in the reader’s language', () => {
    const es = JSON.stringify(CHAT_RENDERERS.slack(noticeOf('incident.opened'), settingsFor('es')));
    const en = JSON.stringify(CHAT_RENDERERS.slack(noticeOf('incident.opened'), settingsFor('en')));
    const pt = JSON.stringify(CHAT_RENDERERS.slack(noticeOf('incident.opened'), settingsFor('pt-BR')));
    expect(es).toContain('Servicios afectados');
    expect(en).toContain('Affected services');
    expect(pt).toContain('Serviços afetados');
  });
});
