/**
 * Incident templates: the common cases, each with a title and a first message in the console's languages, a level
 * and optionally the components it usually concerns, so the first response goes out in seconds. A provider writes
 * its own under `incident_templates:` in the config file; without them the six below are offered. The admin edits
 * the text before sending; nothing here is sent as it is.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (at most 64)');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const localized = (max: number) => z.strictObject({ es: text(max), en: text(max), 'pt-BR': text(max).optional() });

export const incidentTemplateSchema = z.strictObject({
  id,
  /** The level; with a priority × impact policy, `priority` and `impact` instead. */
  severity: z.number().int().min(1).max(9).optional(),
  priority: id.optional(),
  impact: id.optional(),
  /** The incident's title and first message, as an incident's are limited. */
  title: localized(200),
  message: localized(20_000),
  components: z.array(z.string()).default([]),
});

export type IncidentTemplateConfig = z.output<typeof incidentTemplateSchema>;

/** What the config around the templates says they may name. */
export interface TemplateContext {
  /** The policy's levels (the declared ones, or the shipped ones when none are). */
  levels: ReadonlySet<number>;
  matrix: { priorities: readonly { id: string }[]; impacts: readonly { id: string }[]; levels: Record<string, Record<string, number>> } | undefined;
  componentIds: ReadonlySet<string>;
}

/** The problems of the config's templates, each with its key path under `incident_templates`. */
export function incidentTemplateProblems(templates: readonly IncidentTemplateConfig[], context: TemplateContext): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  const known = (values: Iterable<string | number>) => [...values].join(', ');
  templates.forEach((template, i) => {
    const at = (...rest: (string | number)[]) => ['incident_templates', i, ...rest];
    if (seen.has(template.id)) problems.push({ path: at('id'), message: `duplicate template id "${template.id}"` });
    seen.add(template.id);
    const { matrix } = context;
    if (matrix) {
      if (template.severity !== undefined) problems.push({ path: at('severity'), message: 'the policy is a priority × impact matrix: give priority and impact instead' });
      if (template.priority === undefined) problems.push({ path: at('priority'), message: `is required with a priority matrix (one of ${known(matrix.priorities.map((p) => p.id))})` });
      else if (!matrix.priorities.some((p) => p.id === template.priority)) problems.push({ path: at('priority'), message: `unknown priority "${template.priority}" (one of ${known(matrix.priorities.map((p) => p.id))})` });
      if (template.impact === undefined) problems.push({ path: at('impact'), message: `is required with a priority matrix (one of ${known(matrix.impacts.map((m) => m.id))})` });
      else if (!matrix.impacts.some((m) => m.id === template.impact)) problems.push({ path: at('impact'), message: `unknown impact "${template.impact}" (one of ${known(matrix.impacts.map((m) => m.id))})` });
    } else {
      for (const key of ['priority', 'impact'] as const) {
        if (template[key] !== undefined) problems.push({ path: at(key), message: 'the policy has no priority_matrix: give a severity' });
      }
      if (template.severity === undefined) problems.push({ path: at('severity'), message: `is required (one of the policy's levels: ${known(context.levels)})` });
      else if (!context.levels.has(template.severity)) problems.push({ path: at('severity'), message: `severity ${template.severity} is not one of the policy's levels (${known(context.levels)})` });
    }
    template.components.forEach((component, j) => {
      if (!context.componentIds.has(component)) problems.push({ path: at('components', j), message: `unknown component "${component}"` });
    });
  });
  return problems;
}

/** The templates Vigía ships with, offered when the config names none (a hosting and e-mail provider's cases). */
export const DEFAULT_INCIDENT_TEMPLATES: readonly IncidentTemplateConfig[] = [
  {
    id: 'mail-slow',
    severity: 3,
    title: { es: 'Lentitud en el correo', en: 'Slow e-mail delivery' },
    message: {
      es: 'Algunos mensajes de correo tardan más de lo normal en entregarse. Estamos investigando la causa y publicaremos novedades aquí.',
      en: 'Some e-mail messages are taking longer than usual to be delivered. We are investigating and will post updates here.',
    },
    components: [],
  },
  {
    id: 'mail-down',
    severity: 1,
    title: { es: 'El correo no envía ni recibe mensajes', en: 'E-mail is not sending or receiving' },
    message: {
      es: 'El servicio de correo no está enviando ni recibiendo mensajes. Nuestro equipo ya trabaja en restablecerlo.',
      en: 'The e-mail service is not sending or receiving messages. Our team is already working to restore it.',
    },
    components: [],
  },
  {
    id: 'hosting-down',
    severity: 1,
    title: { es: 'Sitios web sin servicio', en: 'Websites unavailable' },
    message: {
      es: 'Los sitios alojados en el servidor afectado no responden. Estamos trabajando para restablecer el servicio.',
      en: 'Websites hosted on the affected server are not responding. We are working to restore service.',
    },
    components: [],
  },
  {
    id: 'hosting-slow',
    severity: 3,
    title: { es: 'Lentitud en los sitios web', en: 'Slow websites' },
    message: {
      es: 'Los sitios web cargan más despacio de lo normal. Estamos revisando el rendimiento de los servidores.',
      en: 'Websites are loading more slowly than usual. We are looking into server performance.',
    },
    components: [],
  },
  {
    id: 'panel-login',
    severity: 2,
    title: { es: 'No es posible entrar al panel de clientes', en: 'Customers cannot sign in to the control panel' },
    message: {
      es: 'Algunos clientes no pueden iniciar sesión en el panel. Estamos investigando; los servicios contratados siguen funcionando.',
      en: 'Some customers cannot sign in to the control panel. We are investigating; the services themselves keep working.',
    },
    components: [],
  },
  {
    id: 'provider-outage',
    severity: 2,
    title: { es: 'Incidencia en un proveedor', en: 'Issue at a provider' },
    message: {
      es: 'Uno de nuestros proveedores tiene una incidencia que afecta a este servicio. Seguimos su evolución y le mantendremos informado.',
      en: 'One of our providers has an issue affecting this service. We are following it and will keep you informed.',
    },
    components: [],
  },
];

/** A template as the console gets it: its level, and with a matrix the cell that level is (null where there is none). */
export interface ResolvedIncidentTemplate {
  id: string;
  severity: number | null;
  priority: string | null;
  impact: string | null;
  title: IncidentTemplateConfig['title'];
  message: IncidentTemplateConfig['message'];
  components: string[];
}

/**
 * The templates the console offers: the config's, else the shipped ones. A config template under a matrix names its
 * cell, whose level follows; a shipped one names a level, whose cell follows when the matrix has it. A shipped level
 * the policy does not declare is left for the admin to choose.
 */
export function resolveIncidentTemplates(configured: readonly IncidentTemplateConfig[] | undefined, context: Omit<TemplateContext, 'componentIds'>): { source: 'config' | 'default'; templates: ResolvedIncidentTemplate[] } {
  const source = configured?.length ? 'config' : 'default';
  const list = configured?.length ? configured : DEFAULT_INCIDENT_TEMPLATES;
  const { matrix } = context;
  const cellOf = (level: number) => {
    for (const [priority, row] of Object.entries(matrix?.levels ?? {})) {
      for (const [impact, cellLevel] of Object.entries(row)) if (cellLevel === level) return { priority, impact };
    }
    return null;
  };
  const templates = list.map((t) => {
    const cell = t.priority !== undefined && t.impact !== undefined ? { priority: t.priority, impact: t.impact } : t.severity !== undefined && matrix ? cellOf(t.severity) : null;
    const fromCell = cell ? (matrix?.levels[cell.priority]?.[cell.impact] ?? null) : null;
    const level = fromCell ?? (t.severity !== undefined && context.levels.has(t.severity) ? t.severity : null);
    return { id: t.id, severity: level, priority: cell?.priority ?? null, impact: cell?.impact ?? null, title: t.title, message: t.message, components: [...t.components] };
  });
  return { source, templates };
}
