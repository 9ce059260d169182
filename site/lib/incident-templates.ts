/**
 * The console's incident templates: the common cases, each with a title and a first message in every language the
 * console speaks and a suggested severity, so the first response goes out in seconds. The admin edits the text before
 * sending; nothing here is sent as it is.
 */
export interface IncidentTemplate {
  id: string;
  severity: number;
  title: { es: string; en: string };
  message: { es: string; en: string };
}

export const INCIDENT_TEMPLATES: IncidentTemplate[] = [
  {
    id: 'mail-slow',
    severity: 3,
    title: { es: 'Lentitud en el correo', en: 'Slow e-mail delivery' },
    message: {
      es: 'Algunos mensajes de correo tardan más de lo normal en entregarse. Estamos investigando la causa y publicaremos novedades aquí.',
      en: 'Some e-mail messages are taking longer than usual to be delivered. We are investigating and will post updates here.',
    },
  },
  {
    id: 'mail-down',
    severity: 1,
    title: { es: 'El correo no envía ni recibe mensajes', en: 'E-mail is not sending or receiving' },
    message: {
      es: 'El servicio de correo no está enviando ni recibiendo mensajes. Nuestro equipo ya trabaja en restablecerlo.',
      en: 'The e-mail service is not sending or receiving messages. Our team is already working to restore it.',
    },
  },
  {
    id: 'hosting-down',
    severity: 1,
    title: { es: 'Sitios web sin servicio', en: 'Websites unavailable' },
    message: {
      es: 'Los sitios alojados en el servidor afectado no responden. Estamos trabajando para restablecer el servicio.',
      en: 'Websites hosted on the affected server are not responding. We are working to restore service.',
    },
  },
  {
    id: 'hosting-slow',
    severity: 3,
    title: { es: 'Lentitud en los sitios web', en: 'Slow websites' },
    message: {
      es: 'Los sitios web cargan más despacio de lo normal. Estamos revisando el rendimiento de los servidores.',
      en: 'Websites are loading more slowly than usual. We are looking into server performance.',
    },
  },
  {
    id: 'panel-login',
    severity: 2,
    title: { es: 'No es posible entrar al panel de clientes', en: 'Customers cannot sign in to the control panel' },
    message: {
      es: 'Algunos clientes no pueden iniciar sesión en el panel. Estamos investigando; los servicios contratados siguen funcionando.',
      en: 'Some customers cannot sign in to the control panel. We are investigating; the services themselves keep working.',
    },
  },
  {
    id: 'provider-outage',
    severity: 2,
    title: { es: 'Incidencia en un proveedor', en: 'Issue at a provider' },
    message: {
      es: 'Uno de nuestros proveedores tiene una incidencia que afecta a este servicio. Seguimos su evolución y le mantendremos informado.',
      en: 'One of our providers has an issue affecting this service. We are following it and will keep you informed.',
    },
  },
];
