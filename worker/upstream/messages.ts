/**
 * The few sentences Vigía writes itself into upstream timelines (incidents no longer reported, windows no longer
 * published, status changes of provider windows). Written once, in the page's default locale, like everything
 * else stored in a timeline.
 */
import type { Locale } from '../config/schema.ts';
import type { UpstreamMaintenanceStatus } from '../core/vocabulary.ts';

const TEXT = {
  es: {
    incidentNoLongerReported: 'El proveedor ya no informa este incidente; se da por resuelto.',
    incidentNoNews: (days: number) => `El proveedor no publica novedades de este incidente desde hace más de ${days} días; se da por resuelto.`,
    incidentReportedAgain: 'El proveedor vuelve a informar este incidente.',
    incidentTitle: (source: string) => `Incidente informado por ${source}`,
    sourceRemoved: (source: string) => `Se dejó de vigilar ${source}; el incidente se da por cerrado.`,
    maintenanceNoLongerPublished: 'El proveedor ya no publica esta ventana de mantenimiento.',
    maintenanceEndedUnpublished: 'El proveedor ya no publica esta ventana; se da por terminada.',
    maintenanceStatus: {
      scheduled: 'El proveedor programó este mantenimiento.',
      in_progress: 'El proveedor informa que el mantenimiento está en curso.',
      verifying: 'El proveedor está verificando el resultado del mantenimiento.',
      completed: 'El proveedor informa que el mantenimiento terminó.',
    } satisfies Record<UpstreamMaintenanceStatus, string>,
  },
  en: {
    incidentNoLongerReported: 'The provider no longer reports this incident; it is considered resolved.',
    incidentNoNews: (days: number) => `The provider has published no news of this incident for more than ${days} days; it is considered resolved.`,
    incidentReportedAgain: 'The provider reports this incident again.',
    incidentTitle: (source: string) => `Incident reported by ${source}`,
    sourceRemoved: (source: string) => `${source} is no longer watched; the incident is considered closed.`,
    maintenanceNoLongerPublished: 'The provider no longer publishes this maintenance window.',
    maintenanceEndedUnpublished: 'The provider no longer publishes this window; it is considered over.',
    maintenanceStatus: {
      scheduled: 'The provider scheduled this maintenance.',
      in_progress: 'The provider reports the maintenance is in progress.',
      verifying: 'The provider is verifying the maintenance.',
      completed: 'The provider reports the maintenance is over.',
    } satisfies Record<UpstreamMaintenanceStatus, string>,
  },
  'pt-BR': {
    incidentNoLongerReported: 'O fornecedor não informa mais este incidente; ele é considerado resolvido.',
    incidentNoNews: (days: number) => `O fornecedor não publica novidades deste incidente há mais de ${days} dias; ele é considerado resolvido.`,
    incidentReportedAgain: 'O fornecedor volta a informar este incidente.',
    incidentTitle: (source: string) => `Incidente informado por ${source}`,
    sourceRemoved: (source: string) => `${source} deixou de ser monitorado; o incidente é considerado encerrado.`,
    maintenanceNoLongerPublished: 'O fornecedor não publica mais esta janela de manutenção.',
    maintenanceEndedUnpublished: 'O fornecedor não publica mais esta janela; ela é considerada encerrada.',
    maintenanceStatus: {
      scheduled: 'O fornecedor programou esta manutenção.',
      in_progress: 'O fornecedor informa que a manutenção está em andamento.',
      verifying: 'O fornecedor está verificando o resultado da manutenção.',
      completed: 'O fornecedor informa que a manutenção terminou.',
    } satisfies Record<UpstreamMaintenanceStatus, string>,
  },
} as const satisfies Record<Locale, unknown>;

export type UpstreamMessages = (typeof TEXT)[Locale];

export const upstreamMessages = (locale: Locale): UpstreamMessages => TEXT[locale];
