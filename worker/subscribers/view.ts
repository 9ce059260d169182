import { iso } from '../lib/iso.ts';
import type { SubscriberWithComponents } from './store.ts';

/** What a subscriber sees of their own subscription (manage endpoint, JSON). */
export function subscriptionView(s: SubscriberWithComponents) {
  return {
    email: s.email,
    status: s.status,
    components: s.componentIds,
    locale: s.locale,
    timezone: s.timezone,
    incident_notices: s.incidentNotices,
    min_severity: s.minSeverity,
  };
}

/** What the admin API shows of a subscriber. */
export function adminSubscriberView(s: SubscriberWithComponents) {
  return {
    id: s.id,
    ...subscriptionView(s),
    consent_source: s.consentSource,
    confirmed_at: iso(s.confirmedAt),
    unsubscribed_at: iso(s.unsubscribedAt),
    suppressed_at: iso(s.suppressedAt),
    suppressed_reason: s.suppressedReason,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}
