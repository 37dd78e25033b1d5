/**
 * The privacy test's tools (test/e2e/federation*.test.ts): every planted identifier of the
 * demo's synthetic federation in every normalization, the decoded payload of every JWS in a
 * text, and every row of every table of a service's database (PGlite or a PostgreSQL schema).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { expect } from 'vitest';
import { tryDeriveMatchKeys, type Identity } from '../../crypto/match-keys/index.js';
import {
  normalizeDob,
  normalizeFirstName,
  normalizeLastName,
  normalizeSsn,
} from '../../crypto/normalize/index.js';
import { createPglite } from '../../platform/db/pglite.js';
import {
  generateFederation,
  seededRng,
  type SyntheticOfficer,
} from '../../node/synthetic/index.js';
import { DEMO_OUTCOME_RATE } from '../../bin/demo/demo.js';

/** The story's as-of date (bin/demo/demo.ts). */
const AS_OF = '2026-06-30';

/** Every spelling of every identifier the demo of `seed` plants: officers and candidates. */
export function plantedNeedles(seed: string): Set<string> {
  const federation = generateFederation({
    rng: seededRng(seed),
    asOf: AS_OF,
    outcomeRate: DEMO_OUTCOME_RATE,
  });
  const identities: Identity[] = [
    ...Object.values(federation.agencies).flatMap((a) => a.officers.map(officerIdentity)),
    ...federation.story.map((s) => s.candidate),
  ];
  return identityNeedles(identities);
}

/**
 * The privacy test over a demo run: `hubDump` (every row of the hub's tables), the keyholder's
 * database and both services' logs, every JWS in them decoded, hold none of the planted
 * identifiers; the city node's own database, searched the same way, does (so the search works).
 */
export async function expectNoIdentifiers(
  hubDump: string,
  dir: string,
  seed: string,
): Promise<void> {
  const needles = plantedNeedles(seed);
  expect(needles.size).toBeGreaterThan(100);

  // The dump covers the mailbox and monitoring tables, and they are not empty: the corrections
  // and the monitoring notice of chapters 7 and 8, the city's enrollments; the agencies'
  // certifications and the statistics release of chapter 6. (It covers every table;
  // `retention_notices` stays empty here, as no record of the story is past retention.)
  for (const table of [
    'mailbox_messages',
    'monitoring_enrollments',
    'monitoring_notices',
    'check_audit',
    'certifications',
    'statistics_snapshots',
  ]) {
    expect(hubDump).toMatch(new RegExp(`^${table}: \\[\\{`, 'm'));
  }
  // The credentialing tables (issue 12.2): chapter 9's body, its key and credential, and the
  // state board's affirmation; nothing is revoked. Their rows carry no free text a node writes
  // (strict schemas: a body id, an ORI, dates, standard ids, a reason from a fixed list).
  for (const table of [
    'credentialing_bodies',
    'credentialing_body_keys',
    'credentials',
    'credential_affirmations',
  ]) {
    expect(hubDump).toMatch(new RegExp(`^${table}: \\[\\{`, 'm'));
  }
  expect(hubDump).toMatch(/^credential_revocations: \[/m);
  const corpus = [
    hubDump,
    await dumpDatabase(path.join(dir, 'keyholder')),
    await readFile(path.join(dir, 'hub.log'), 'utf8'),
    await readFile(path.join(dir, 'keyholder.log'), 'utf8'),
  ].join('\n');
  const searchable = withDecodedJws(corpus).toUpperCase();
  // The dump is not empty: the hub holds the attestations the nodes published.
  expect(searchable).toContain('SPX-ATTESTATION+JWS');
  const found = [...needles].filter((n) => searchable.includes(n));
  expect(found).toEqual([]);

  // The same search over an agency node's own database, which does hold raw records, finds
  // them: the search works, and the hub's and keyholder's silence above means something.
  const nodeDump = withDecodedJws(await dumpDatabase(path.join(dir, 'city', 'data')));
  const atNode = [...needles].filter((n) => nodeDump.toUpperCase().includes(n));
  expect(atNode.length).toBeGreaterThan(20);
}

/** Every row of every table in `schema` of the PostgreSQL server at `url`, as JSON text. */
export async function dumpPostgresSchema(url: string, schema: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const tables = await sql<{ tablename: string }[]>`
      SELECT tablename FROM pg_tables WHERE schemaname = ${schema} ORDER BY tablename`;
    const parts: string[] = [];
    for (const t of tables) {
      const rows = await sql`SELECT * FROM ${sql(schema)}.${sql(t.tablename)}`;
      parts.push(`${t.tablename}: ${JSON.stringify(rows)}`);
    }
    expect(tables.length).toBeGreaterThan(2);
    return parts.join('\n');
  } finally {
    await sql.end();
  }
}

function officerIdentity(o: SyntheticOfficer): Identity {
  const lastName = o.suffix ? `${o.lastName} ${o.suffix}` : o.lastName;
  const aliases = o.formerNames
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) =>
      a.includes(':')
        ? { firstName: a.split(':')[0]!, lastName: a.split(':')[1]! }
        : { lastName: a },
    );
  return {
    firstName: o.firstName,
    lastName,
    dob: o.dateOfBirth || null,
    ssn: o.ssn || null,
    license: o.licenseNumber ? { state: o.licenseState, number: o.licenseNumber } : null,
    aliases,
  };
}

/** Every spelling of every identifier worth searching for (short names would match by chance). */
export function identityNeedles(identities: readonly Identity[]): Set<string> {
  const needles = new Set<string>();
  const add = (s: string | null | undefined, min = 6) => {
    if (s && s.length >= min) needles.add(s.toUpperCase());
  };
  for (const id of identities) {
    add(`${id.firstName} ${id.lastName}`);
    add(id.lastName, 7);
    const last = attempt(() => normalizeLastName(id.lastName));
    add(last, 7);
    const first = attempt(() => normalizeFirstName(id.firstName));
    if (first && last) add(`${first}${last}`);
    if (id.dob) {
      add(id.dob);
      add(attempt(() => normalizeDob(id.dob!, { asOf: AS_OF })));
      add(id.dob.replaceAll('-', ''), 8);
    }
    if (id.ssn) {
      add(id.ssn, 9);
      add(
        attempt(() => normalizeSsn(id.ssn!)),
        9,
      );
    }
    if (id.license) add(`${id.license.state}${id.license.number}`.replace(/[^A-Za-z0-9]/g, ''), 8);
    const keys = tryDeriveMatchKeys(id, { asOf: AS_OF });
    if (keys.ok) for (const k of keys.keys) add(k.keyString);
  }
  return needles;
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Appends the decoded header and payload of every compact JWS found in the text. */
export function withDecodedJws(text: string): string {
  const decoded: string[] = [];
  for (const m of text.matchAll(
    /([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{40,})/g,
  )) {
    decoded.push(Buffer.from(m[1]!, 'base64url').toString('utf8'));
    decoded.push(Buffer.from(m[2]!, 'base64url').toString('utf8'));
  }
  return `${text}\n${decoded.join('\n')}`;
}

/** Every row of every table of a service's PGlite data directory, as JSON text. */
export async function dumpDatabase(dataDir: string): Promise<string> {
  const dirs = [dataDir, ...(await readdir(dataDir)).map((d) => path.join(dataDir, d))];
  const pgDir = await findPgliteDir(dirs);
  const db = await createPglite(pgDir);
  try {
    const tables = await db.query<{ schemaname: string; tablename: string }>(
      "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    const parts: string[] = [];
    for (const t of tables.rows) {
      const rows = await db.query(`SELECT * FROM "${t.schemaname}"."${t.tablename}"`);
      parts.push(`${t.tablename}: ${JSON.stringify(rows.rows)}`);
    }
    expect(tables.rows.length).toBeGreaterThan(2);
    return parts.join('\n');
  } finally {
    await db.close();
  }
}

async function findPgliteDir(candidates: readonly string[]): Promise<string> {
  for (const dir of candidates) {
    try {
      if ((await readdir(dir)).includes('PG_VERSION')) return dir;
    } catch {
      // not a directory
    }
  }
  throw new Error(`no PGlite data directory among ${candidates.join(', ')}`);
}
