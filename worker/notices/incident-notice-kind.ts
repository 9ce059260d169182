/** The notices an incident causes, and which one a change of its status causes: pure, for the service and reconcile planning. */
export type IncidentNoticeKind = 'opened' | 'updated' | 'resolved';

/** Which notice an incident update causes: a resolution when it closes the incident, an update otherwise. */
export const incidentNoticeKindFor = (wasClosed: boolean, nowClosed: boolean): IncidentNoticeKind =>
  nowClosed && !wasClosed ? 'resolved' : 'updated';
