/**
 * The fake upstreams and receivers listen on 127.0.0.1, which the egress policy refuses by default: a test that
 * reaches them says so, with this policy (passed to the fetcher, the poller, detection or a dispatcher) or this
 * environment (where an app or a worker process is built).
 */
import { egressPolicy } from '../../worker/lib/egress.ts';

export const LOCAL_NETWORK = egressPolicy({ allowPrivate: true });
export const LOCAL_NETWORK_ENV = { VIGIA_ALLOW_PRIVATE_NETWORKS: '1' } as const;
