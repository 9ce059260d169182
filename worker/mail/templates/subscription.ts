import { z } from 'zod';
import { bothTimes } from './time.ts';
import { defineTemplate, isoInstant, pick } from './template.ts';

/** Double opt-in. Data: `confirmUrl` (the one link that confirms), `expiresAt` (ISO). */
export const subscriptionConfirm = defineTemplate({
  audience: 'requester',
  schema: z.object({ confirmUrl: z.string().min(1), expiresAt: isoInstant }),
  build: (d, env) => ({
    subject: pick(env.locale, { es: `Confirme su suscripción a ${env.siteName}`, en: `Confirm your subscription to ${env.siteName}` }),
    blocks: [
      { kind: 'heading', text: pick(env.locale, { es: 'Confirme su suscripción', en: 'Confirm your subscription' }) },
      {
        kind: 'paragraph',
        text: pick(env.locale, {
          es: `Recibimos una solicitud para enviar a esta dirección los avisos de mantenimiento e incidentes de ${env.siteName}. Para empezar a recibirlos, confírmela:`,
          en: `We received a request to send ${env.siteName}'s maintenance and incident notices to this address. To start receiving them, confirm it:`,
        }),
      },
      { kind: 'actions', links: [{ label: pick(env.locale, { es: 'Confirmar suscripción', en: 'Confirm subscription' }), url: d.confirmUrl }] },
      { kind: 'note', text: pick(env.locale, { es: `El enlace vence el ${bothTimes(d.expiresAt, 'es', env.timeZone).replace('\n', ' · ')}.`, en: `The link expires on ${bothTimes(d.expiresAt, 'en', env.timeZone).replace('\n', ' · ')}.` }) },
      {
        kind: 'note',
        text: pick(env.locale, {
          es: 'Si usted no lo pidió, ignore este mensaje: sin confirmación no le enviaremos nada más.',
          en: 'If you did not ask for this, ignore this message: without confirmation we will send you nothing else.',
        }),
      },
    ],
  }),
});
