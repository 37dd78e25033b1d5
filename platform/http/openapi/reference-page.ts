/**
 * The API reference page (GET /docs): the service's OpenAPI document rendered on the server as
 * one HTML page — operations by tag, their authentication, parameters, bodies with their
 * examples, answers, then the schemas. No script and nothing fetched from elsewhere: the
 * services run offline (a reference UI such as Scalar's loads its bundle from a CDN), and the
 * page reads the same with JavaScript off.
 */
import type { JsonSchema } from './route-doc.js';
import type { OpenApiDocument } from './document.js';

/** The page's own policy: its inline style, and nothing else. */
export const REFERENCE_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1b1b}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f4f4f4;padding:.6rem;overflow:auto;max-height:30rem}
h2{border-bottom:2px solid #ccc;margin-top:2.5rem}article{border-top:1px solid #ddd;padding:.5rem 0 1rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
nav>ul{columns:2}nav ul{padding-left:1.2rem}nav li{break-inside:avoid}a{color:#0b5394}`;

function escape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Inline code spans of the descriptions (`code`), the rest as text. */
function prose(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const anchor = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '-');

function schemaLink(schema: unknown): string {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const name = ref.slice('#/components/schemas/'.length);
    return `<a href="#schema-${anchor(name)}">${escape(name)}</a>`;
  }
  if (schema === undefined) return '';
  return `<details><summary>schema</summary><pre>${escape(JSON.stringify(schema, null, 2))}</pre></details>`;
}

type Content = Record<string, { schema?: JsonSchema; examples?: Record<string, ExampleObject> }>;
type ExampleObject = { summary?: string; value: unknown };

function contentBlock(content: Content | undefined): string {
  if (content === undefined) return '';
  return Object.entries(content)
    .map(([type, media]) => {
      const examples = Object.entries(media.examples ?? {})
        .map(
          ([name, e]) =>
            `<details><summary>Example: ${escape(e.summary ?? name)}</summary><pre>${escape(JSON.stringify(e.value, null, 2))}</pre></details>`,
        )
        .join('');
      return `<div><code>${escape(type)}</code> ${schemaLink(media.schema)}${examples}</div>`;
    })
    .join('');
}

interface OperationView {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    required: boolean;
    description?: string;
    schema: JsonSchema;
  }[];
  requestBody?: { description?: string; content: Content };
  responses: Record<string, { description: string; content?: Content }>;
}

function operationBlock(method: string, path: string, op: OperationView): string {
  const auth =
    op.security.length === 0
      ? 'none (public)'
      : op.security
          .flatMap((req) =>
            Object.entries(req).map(
              ([scheme, roles]) =>
                `<a href="#security-${anchor(scheme)}">${escape(scheme)}</a>${roles.length === 0 ? '' : ` (role ${roles.map(escape).join(', ')})`}`,
            ),
          )
          .join(' or ');
  const parameters =
    op.parameters === undefined
      ? ''
      : `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${op.parameters
          .map(
            (p) =>
              `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${escape(JSON.stringify(p.schema))}</code></td><td>${prose(p.description ?? '')}</td></tr>`,
          )
          .join('')}</table>`;
  const body =
    op.requestBody === undefined
      ? ''
      : `<h4>Request body</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${contentBlock(op.requestBody.content)}`;
  const responses = `<h4>Responses</h4><table><tr><th>status</th><th>when</th><th>body</th></tr>${Object.entries(
    op.responses,
  )
    .map(
      ([status, r]) =>
        `<tr><td>${escape(status)}</td><td>${prose(r.description)}</td><td>${contentBlock(r.content)}</td></tr>`,
    )
    .join('')}</table>`;
  return `<article id="op-${anchor(op.operationId)}"><h3><span class="m">${escape(method)}</span> <code>${escape(path)}</code></h3>
<p><strong>${prose(op.summary)}</strong></p>${op.description ? `<p>${prose(op.description)}</p>` : ''}
<p>Authentication: ${auth}</p>${parameters}${body}${responses}</article>`;
}

export function renderReferencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method,
      path,
      op: op as unknown as OperationView,
    })),
  );
  const byTag = doc.tags.map((tag) => ({
    tag,
    ops: operations.filter((o) => o.op.tags[0] === tag.name),
  }));
  const nav = byTag
    .filter((t) => t.ops.length > 0)
    .map(
      ({ tag, ops }) =>
        `<li><a href="#tag-${anchor(tag.name)}">${escape(tag.name)}</a><ul>${ops
          .map(
            (o) =>
              `<li><a href="#op-${anchor(o.op.operationId)}">${escape(o.method.toUpperCase())} ${escape(o.path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = byTag
    .filter((t) => t.ops.length > 0)
    .map(
      ({ tag, ops }) =>
        `<section><h2 id="tag-${anchor(tag.name)}">${escape(tag.name)}</h2><p>${prose(tag.description)}</p>${ops
          .map((o) => operationBlock(o.method, o.path, o.op))
          .join('\n')}</section>`,
    )
    .join('\n');
  const security = Object.entries(doc.components.securitySchemes)
    .map(
      ([name, s]) =>
        `<h3 id="security-${anchor(name)}">${escape(name)}</h3><p>${prose(String(s['description'] ?? ''))}</p><pre>${escape(JSON.stringify(s, null, 2))}</pre>`,
    )
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, s]) =>
        `<h3 id="schema-${anchor(name)}">${escape(name)}</h3><pre>${escape(JSON.stringify(s, null, 2))}</pre>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} — API reference</title><style>${STYLE}</style></head>
<body><header><h1>${escape(doc.info.title)}</h1><p>${prose(doc.info.description)}</p>
<p>Version ${escape(doc.info.version)}. This page is generated from the service’s OpenAPI 3.1 document, <a href="openapi.json">openapi.json</a>.</p></header>
<nav aria-label="Operations"><h2>Operations</h2><ul>${nav}</ul></nav>
<main>${sections}
<section><h2 id="security">Authentication</h2>${security}</section>
<section><h2 id="schemas">Schemas</h2>${schemas}</section></main></body></html>
`;
}
