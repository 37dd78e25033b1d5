/**
 * The service resources the node's clients read (keyholder keys, the hub's registry listing, its
 * JWKS, statistics, a cosignature receipt): defined once in protocol/service-resources.ts, where
 * the services' API documents describe their answers with the same schemas.
 */
export * from '../../protocol/service-resources.js';
