/**
 * The reference tables of docs/configuration.md, rendered from settings tables (settings.ts).
 * Plain Markdown; bin/config-docs.ts formats the whole page with prettier, so the committed file
 * is exactly what `prettier --check` accepts.
 */
import type { Setting, Settings } from './settings.js';

/** A table cell: one line, and a `|` would end the cell early. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function defaultOf(setting: Setting<unknown>): string {
  if ('required' in setting) return 'required';
  if ('default' in setting) return `\`${setting.default}\``;
  return setting.whenUnset ?? 'unset';
}

/** One row per variable: name, default, unit, secret, meaning (with its deprecated names). */
export function renderSettingsTable(settings: Settings): string {
  const rows = Object.entries(settings).map(([name, setting]) => {
    const formerly = setting.deprecatedNames?.length
      ? `; formerly ${setting.deprecatedNames.map((n) => `\`${n}\``).join(', ')}`
      : '';
    return [
      `\`${name}\``,
      defaultOf(setting),
      setting.unit ?? '',
      setting.secret ? 'yes' : '',
      `${setting.doc}${formerly}`,
    ];
  });
  return [
    '| variable | default | unit | secret | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
