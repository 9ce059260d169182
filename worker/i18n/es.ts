/**
 * Every text the worker writes to people, in Spanish: the e-mails (subscribers, people asking to subscribe, admins)
 * and the subscription pages it serves. This file defines the shape (`WorkerStrings`) the other languages' files
 * must satisfy; `worker/i18n/index.ts` lists them. Texts that take values are functions of those values.
 */
const es = {
  /** The language's own name, in the language choice of the preferences page. */
  langName: 'Español',
  /** The Intl locale of every date in the mails. */
  intlLocale: 'es-CO',

  mail: {
    /** Small print at the bottom: why the reader gets this mail. */
    footer: {
      subscriber: (site: string, to: string) => `Recibe este correo en ${to} porque está suscrito a los avisos de ${site}.`,
      requester: (site: string, to: string) => `Este correo se envió a ${to} porque alguien pidió los avisos de ${site} para esta dirección.`,
      admin: (site: string, _to: string) => `Aviso para los administradores de ${site}.`,
    },
    managePreferences: 'Administrar preferencias',
    unsubscribe: 'Cancelar suscripción',
    /** What a notice about no component in particular affects. */
    allServices: 'todos los servicios',
    viewOnPage: 'Ver en la página de estado',
    providerNotice: 'Aviso del proveedor',

    incident: {
      status: { investigating: 'Investigando', identified: 'Identificado', monitoring: 'En observación', resolved: 'Resuelto', postmortem: 'Análisis posterior' } as Record<string, string>,
      severity: 'Severidad',
      statusLabel: 'Estado',
      affects: 'Servicios afectados',
      started: 'Inicio',
      resolved: 'Resuelto',
      upstream: (provider: string) => `Incidente informado por ${provider || 'el proveedor'} en su página de estado.`,
      opened: {
        subject: (tag: string, title: string) => `${tag} Incidente: ${title}`,
        heading: (title: string) => `Incidente: ${title}`,
        lead: 'Estamos atendiendo un incidente que afecta a servicios que usted sigue.',
      },
      updated: {
        subject: (tag: string, title: string) => `${tag} Actualización: ${title}`,
        heading: (title: string) => `Actualización del incidente: ${title}`,
        lead: 'Hay novedades sobre este incidente.',
      },
      resolvedMail: {
        subject: (title: string) => `Resuelto: ${title}`,
        heading: (title: string) => `Incidente resuelto: ${title}`,
        lead: 'El incidente está resuelto. Gracias por su paciencia.',
      },
    },

    maintenance: {
      start: 'Inicio',
      end: 'Fin previsto',
      affects: 'Servicios afectados',
      previously: 'Antes',
      addToCalendar: 'Agregar al calendario',
      updateCalendar: 'Actualizar su calendario',
      reason: 'Motivo',
      upstream: (provider: string) => `Este mantenimiento lo anunció ${provider || 'el proveedor'} en su página de estado; sus horarios son los del proveedor.`,
      announcement: {
        subject: (title: string, when: string) => `Mantenimiento programado: ${title} (${when})`,
        preheader: (services: string) => `Afecta a ${services}.`,
        heading: (title: string) => `Mantenimiento programado: ${title}`,
        lead: 'Le avisamos con anticipación de un mantenimiento que puede afectar a los servicios que sigue.',
      },
      reminder: {
        subject: (title: string, when: string) => `Recordatorio: mantenimiento «${title}» (${when})`,
        heading: (title: string) => `Recordatorio de mantenimiento: ${title}`,
        lead: 'El mantenimiento que le anunciamos comienza pronto.',
      },
      rescheduled: {
        subject: (title: string, when: string) => `Mantenimiento reprogramado: ${title} (${when})`,
        heading: (title: string) => `Mantenimiento reprogramado: ${title}`,
        lead: 'Cambiamos el horario de este mantenimiento. Este es el nuevo:',
      },
      cancelled: {
        subject: (title: string) => `Mantenimiento cancelado: ${title}`,
        heading: (title: string) => `Mantenimiento cancelado: ${title}`,
        lead: 'El mantenimiento previsto ya no se realizará.',
      },
      started: {
        subject: (title: string) => `Mantenimiento en curso: ${title}`,
        heading: (title: string) => `Mantenimiento en curso: ${title}`,
        lead: 'El mantenimiento comenzó. Le avisaremos cuando termine.',
      },
      completed: {
        subject: (title: string) => `Mantenimiento finalizado: ${title}`,
        heading: (title: string) => `Mantenimiento finalizado: ${title}`,
        lead: 'El mantenimiento terminó y los servicios funcionan con normalidad. Si nota algún problema, escríbanos.',
      },
    },

    subscription: {
      subject: (site: string) => `Confirme su suscripción a ${site}`,
      heading: 'Confirme su suscripción',
      lead: (site: string) => `Recibimos una solicitud para enviar a esta dirección los avisos de mantenimiento e incidentes de ${site}. Para empezar a recibirlos, confírmela:`,
      confirm: 'Confirmar suscripción',
      expires: (when: string) => `El enlace vence el ${when}.`,
      notYou: 'Si usted no lo pidió, ignore este mensaje: sin confirmación no le enviaremos nada más.',
    },

    account: {
      expires: (when: string) => `El enlace sirve una vez y vence el ${when}.`,
      reset: {
        subject: (site: string) => `Restablecer su contraseña de ${site}`,
        heading: (name: string) => `Hola, ${name}`,
        lead: (site: string) => `Alguien pidió restablecer la contraseña de su cuenta de administración de ${site}. Para elegir una nueva:`,
        action: 'Elegir una contraseña nueva',
        notYou: 'Si usted no lo pidió, ignore este mensaje: su contraseña no cambia.',
      },
      invitation: {
        subject: (site: string) => `Su cuenta de administración de ${site}`,
        heading: (name: string) => `Hola, ${name}`,
        lead: (site: string) => `Le crearon una cuenta en la consola de administración de ${site}. Para empezar, elija su contraseña:`,
        action: 'Elegir mi contraseña',
        notYou: 'Si no esperaba esta invitación, ignore este mensaje.',
      },
    },

    admin: {
      lateNotice: {
        subject: (title: string) => `Aviso tardío de mantenimiento: ${title}`,
        heading: (title: string) => `Aviso tardío: ${title}`,
        lead: (notice: string) =>
          `El aviso de este mantenimiento no llegó a todos los suscriptores con ${notice} de anticipación (el proveedor de correo lo aceptó tarde o aún no lo acepta).`,
        start: 'Inicio',
        deadline: 'Plazo para avisar',
        recipients: 'Destinatarios',
        accepted: 'Aceptados por el proveedor',
        late: 'Tarde o sin enviar',
        reschedule: (when: string) => `Para cumplir el compromiso puede reprogramarlo. El inicio más cercano que lo cumple es:\n${when}`,
      },
      slaWarning: {
        target: { response: 'respuesta', resolution: 'solución' },
        subjectMissed: (target: string, title: string) => `SLA: plazo de ${target} vencido en «${title}»`,
        subjectDue: (target: string, title: string) => `SLA: vence el plazo de ${target} de «${title}»`,
        headingMissed: (target: string) => `Plazo de ${target} vencido`,
        headingDue: (target: string) => `Plazo de ${target} por vencer`,
        incident: 'Incidente',
        severity: 'Severidad',
        due: 'Vence',
        view: 'Ver el incidente',
      },
      mailPaused: {
        reasons: { quota: 'cuota del proveedor agotada', provider_refused: 'el proveedor rechaza los envíos' } as Record<string, string>,
        subject: (reason: string) => `Envío de correo en pausa: ${reason}`,
        heading: 'El envío de correo está en pausa',
        lead: 'Los avisos siguen en cola y saldrán al reanudar el envío; mientras tanto los avisos de mantenimiento pueden llegar tarde.',
        reason: 'Motivo',
        since: 'Desde',
        until: 'Hasta',
        untilResumed: 'que un administrador lo reanude',
      },
      mailFailing: {
        subject: 'El proveedor de correo está fallando',
        heading: 'El envío de correo está fallando',
        lead: 'El proveedor responde con errores desde hace un rato. Los avisos siguen en cola y se reintentan hasta que responda (los de mantenimiento, hasta que la ventana empiece); pueden llegar tarde.',
        since: 'Fallando desde',
        attempts: 'Intentos',
        waiting: 'Mensajes en espera en el lote',
        error: 'Último error',
      },
      channelDisabled: {
        subject: (channel: string, host: string) => `Suscripción ${channel} desactivada: ${host}`,
        heading: 'Una suscripción dejó de recibir avisos',
        lead: 'Su receptor falló durante demasiado tiempo (o respondió 410 Gone), así que ya no se le envía nada. Quien la creó puede crearla de nuevo.',
        channel: 'Canal',
        host: 'Receptor',
        reason: 'Motivo',
        failures: 'Fallos seguidos',
        since: 'Desactivada',
      },
    },
  },

  /** The subscription pages the worker serves (confirmation, preferences, unsubscribing, form errors). */
  pages: {
    backToStatus: 'Volver al estado de los servicios',
    subscribeAgain: 'Suscribirse de nuevo',
    confirmedTitle: 'Suscripción confirmada',
    confirmedBody: (email: string) => `Listo: ${email} recibirá los avisos de mantenimiento programado.`,
    alreadyConfirmedTitle: 'Su suscripción ya está confirmada',
    alreadyConfirmedBody: (email: string) => `${email} ya recibe los avisos. No hace falta hacer nada más.`,
    managePrompt: 'Puede elegir los servicios, el idioma, la zona horaria y los avisos de incidentes en',
    manageLink: 'sus preferencias',
    expiredTitle: 'El enlace de confirmación venció',
    expiredBody: 'Los enlaces de confirmación funcionan durante 48 horas. Suscríbase de nuevo y le enviaremos uno nuevo.',
    usedTitle: 'Este enlace ya se usó',
    usedBody: 'Este enlace de confirmación ya no sirve. Si quiere recibir avisos, suscríbase de nuevo.',
    suppressedTitle: 'No podemos enviar avisos a esta dirección',
    suppressedBody: 'Los correos a esta dirección fueron rechazados o marcados como no deseados, así que dejamos de enviarlos. Escríbanos si quiere reactivarla.',
    invalidTitle: 'El enlace no es válido',
    invalidBody: 'El enlace está incompleto o fue modificado. Copie el enlace completo desde el correo que le enviamos.',
    unknownTitle: 'Este enlace ya no funciona',
    unknownBody: 'La suscripción de este enlace no existe o fue reemplazada por una solicitud más reciente. Use el enlace del correo más reciente o suscríbase de nuevo.',
    manageTitle: 'Preferencias de avisos',
    manageIntro: (email: string) => `Avisos enviados a ${email}.`,
    pendingNote: 'Su suscripción aún no está confirmada: use el enlace del correo de confirmación.',
    unsubscribedNote: 'Usted canceló la suscripción. Guarde sus preferencias con el botón para volver a recibir avisos.',
    saved: 'Preferencias guardadas.',
    components: 'Servicios',
    componentsHint: 'Si no marca ninguno, recibirá avisos de todos los servicios.',
    otherServices: 'Otros servicios',
    language: 'Idioma',
    timezone: 'Zona horaria de los avisos',
    incidents: 'Avisos de incidentes',
    incidentNotices: 'Quiero recibir también avisos de incidentes',
    minSeverity: 'Desde qué severidad',
    severityUpTo: (levels: string) => `Severidad ${levels}`,
    save: 'Guardar preferencias',
    resubscribe: 'Volver a suscribirme con estas preferencias',
    unsubscribeLink: 'Cancelar la suscripción',
    unsubscribeTitle: 'Cancelar la suscripción',
    unsubscribeAsk: (email: string) => `¿Dejar de enviar avisos a ${email}?`,
    unsubscribeButton: 'Sí, cancelar la suscripción',
    unsubscribedTitle: 'Suscripción cancelada',
    unsubscribedBody: (email: string) => `No enviaremos más avisos a ${email}.`,
    alreadyUnsubscribedTitle: 'La suscripción ya estaba cancelada',
    changedMind: '¿Cambió de opinión? Puede volver a suscribirse desde',
    formErrorsTitle: 'Revise el formulario',
    formErrorsIntro: 'No pudimos registrar la suscripción:',
    goBack: 'Volver al formulario',
    rateLimitedTitle: 'Demasiados intentos',
    rateLimitedBody: (minutes: number) => `Recibimos muchas solicitudes desde su conexión. Inténtelo de nuevo en ${minutes} minuto${minutes === 1 ? '' : 's'}.`,
    fields: { email: 'Correo electrónico', components: 'Servicios', locale: 'Idioma', timezone: 'Zona horaria', incident_notices: 'Avisos de incidentes', min_severity: 'Severidad' } as Record<string, string>,
  },

  /** Chat messages (Slack, Teams, Discord, Google Chat): the mails' words, plus what a channel, not a mailbox, is told. */
  chat: {
    footer: {
      subscriber: (site: string) => `Este canal recibe los avisos de ${site}.`,
      requester: (site: string) => `Alguien pidió los avisos de ${site} para este canal.`,
      admin: (site: string) => `Aviso para los administradores de ${site}.`,
    },
    confirmLead: (site: string) => `Recibimos una solicitud para enviar a este canal los avisos de mantenimiento e incidentes de ${site}. Para empezar a recibirlos, confírmela:`,
    /** A window's state as its notice tells it. */
    maintenanceState: { scheduled: 'Programado', in_progress: 'En curso', completed: 'Completado', cancelled: 'Cancelado' },
    message: 'Mensaje',
  },
};

export type WorkerStrings = typeof es;
export default es satisfies WorkerStrings;
