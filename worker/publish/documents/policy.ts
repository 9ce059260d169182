import { publicPolicy } from '../../policy/public-policy.ts';
import { jsonDocument, type DocumentSource } from '../document.ts';

/** `/api/policy.json`: the support policy for the public "Service levels" page (configuration only). */
export const policyDocuments: DocumentSource = ({ config }) => [jsonDocument('/api/policy.json', publicPolicy(config))];
