import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT_SUFFIX, type SettingUnit } from '../platform/config/settings.js';
import {
  CONFIGURATION_DOC,
  REGENERATE_COMMAND,
  renderConfigurationDoc,
  REPOSITORY_ROOT,
  TOOL_VARIABLES,
} from './config-docs.js';
import { SERVICE_SETTINGS } from './settings.js';

const SHARED = new Set(['SPX_DATABASE_URL', 'SPX_DATABASE_SCHEMA', 'SPX_DATA_DIR']);
const UNITS = Object.entries(UNIT_SUFFIX) as [SettingUnit, string][];

const everySetting = SERVICE_SETTINGS.flatMap(({ service, prefix, settings }) =>
  Object.entries(settings).map(([name, setting]) => ({ service, prefix, name, setting })),
);

describe('docs/configuration.md', () => {
  it('is what the settings tables generate', async () => {
    const committed = await readFile(CONFIGURATION_DOC, 'utf8').catch(() => '(missing)');
    expect(
      committed === (await renderConfigurationDoc()),
      `docs/configuration.md differs from the settings tables: run ${REGENERATE_COMMAND}`,
    ).toBe(true);
  });

  it('names tool variables that the file it cites still reads', async () => {
    for (const variable of TOOL_VARIABLES) {
      const source = await readFile(path.join(REPOSITORY_ROOT, variable.readBy), 'utf8');
      expect(source, `${variable.name} in ${variable.readBy}`).toContain(variable.name);
    }
  });
});

describe('setting names', () => {
  it('start with the prefix of the service that reads them, or are the shared database ones', () => {
    const strays = everySetting.filter((s) => !SHARED.has(s.name) && !s.name.startsWith(s.prefix));
    expect(strays.map((s) => `${s.service}: ${s.name}`)).toEqual([]);
  });

  it('end in the unit of a duration or a size, and only then', () => {
    const wrong = everySetting.filter(({ name, setting }) =>
      UNITS.some(([unit, suffix]) => name.endsWith(suffix) !== (setting.unit === unit)),
    );
    expect(wrong.map((s) => s.name)).toEqual([]);
  });

  it('never reuse a current name as a deprecated one, and document each in one line', () => {
    const current = new Set(everySetting.map((s) => s.name));
    for (const { name, setting } of everySetting) {
      for (const old of setting.deprecatedNames ?? []) expect(current.has(old), old).toBe(false);
      expect(setting.doc, name).not.toMatch(/\n/);
      expect(setting.doc.length, name).toBeGreaterThan(0);
    }
  });
});
