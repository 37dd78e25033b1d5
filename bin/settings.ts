/**
 * Every service's settings table in one list, for what looks at all of them: the generated
 * reference (bin/config-docs.ts) and the start-up warning about deprecated names (spx.ts). Lives
 * in bin/, the composition root, because hub/, node/ and keyholder/ never import each other.
 */
import type { Env } from '../platform/config/config.js';
import { deprecatedNamesIn, type Settings } from '../platform/config/settings.js';
import { HUB_SETTINGS } from '../hub/config.js';
import { KEYHOLDER_SETTINGS } from '../keyholder/config.js';
import { NODE_CLIENT_SETTINGS, NODE_SETTINGS } from '../node/config.js';

export interface ServiceSettings {
  /** Short name, used in warnings: `hub`, `keyholder`, `node`, `node CLI`. */
  readonly service: string;
  /** The reference's section heading. */
  readonly title: string;
  /** The variables' common prefix, besides the shared database ones. */
  readonly prefix: string;
  readonly settings: Settings;
}

export const SERVICE_SETTINGS: readonly ServiceSettings[] = [
  { service: 'hub', title: 'Hub (`spx hub …`)', prefix: 'SPX_HUB_', settings: HUB_SETTINGS },
  {
    service: 'keyholder',
    title: 'Keyholder (`spx keyholder …`)',
    prefix: 'SPX_KEYHOLDER_',
    settings: KEYHOLDER_SETTINGS,
  },
  {
    service: 'node',
    title: 'Node (`spx node serve`)',
    prefix: 'SPX_NODE_',
    settings: NODE_SETTINGS,
  },
  {
    service: 'node CLI',
    title: 'Node client commands (`spx node import`, `publish`, `check`, `status`…)',
    prefix: 'SPX_NODE_',
    settings: NODE_CLIENT_SETTINGS,
  },
];

/**
 * One line per deprecated name set in `env`, naming what to use instead; a name that several
 * services renamed (SPX_HUB_URL) gets one line listing each service's replacement.
 */
export function deprecationWarnings(
  env: Env,
  services: readonly ServiceSettings[] = SERVICE_SETTINGS,
): string[] {
  const replacements = new Map<string, string[]>();
  for (const { service, settings } of services) {
    for (const { name, replacement } of deprecatedNamesIn(settings, env)) {
      const list = replacements.get(name) ?? [];
      list.push(services.length > 1 ? `${replacement} (${service})` : replacement);
      replacements.set(name, list);
    }
  }
  return [...replacements].map(
    ([name, list]) => `${name} is deprecated and will be removed: use ${list.join(' or ')}`,
  );
}
