/**
 * The shell of every public page: a skip link, the site's navigation (the current page marked
 * with aria-current), one <main>, and a footer pointing at the machine-readable sources. No
 * script: the pages work as plain documents (docs/hub.md "Public pages").
 */
import type { Child } from 'hono/jsx';

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

export const SITE_NAV: readonly NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/statistics', label: 'Statistics' },
  { href: '/coverage', label: 'Coverage' },
  { href: '/compliance', label: 'Compliance' },
  { href: '/log', label: 'Transparency log' },
  { href: '/agencies', label: 'Agencies' },
];

export function Layout(props: { title: string; path: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Safe Policing Exchange`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <a class="brand" href="/">
            Safe Policing Exchange — public hub
          </a>
          <nav class="site" aria-label="Site">
            <ul>
              {SITE_NAV.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === props.path ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="site">
          <p>
            Every figure here comes from a signed release or the transparency log. Machine-readable:{' '}
            <a href="/v1/statistics">statistics (JSON)</a>,{' '}
            <a href="/v1/statistics/manifest">signed manifest</a>,{' '}
            <a href="/v1/log/checkpoint">log checkpoint</a>,{' '}
            <a href="/v1/registry/agencies">registry (JSON)</a>.
          </p>
        </footer>
      </body>
    </html>
  );
}

/** A definition list of key figures. */
export function Facts(props: { items: readonly (readonly [string, Child])[] }) {
  return (
    <dl class="facts">
      {props.items.map(([term, value]) => (
        <div>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The page as a document: its doctype and markup. */
export function renderPage(page: { toString(): string | Promise<string> }): string {
  const html = page.toString();
  if (typeof html !== 'string') throw new Error('pages render synchronously');
  return `<!DOCTYPE html>${html}`;
}
