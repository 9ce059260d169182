export * from './components.ts';
export * from './sources.ts';
export * from './source-cache.ts';
export * from './incidents.ts';
export * from './maintenances.ts';
export * from './subscribers.ts';
export * from './outbox.ts';
export * from './channel-subscriptions.ts';
