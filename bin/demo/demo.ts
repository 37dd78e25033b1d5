/**
 * `npm run demo`: the federation end to end, as separate processes on loopback ports, each with
 * its own PGlite data directory — a keyholder, the hub, and three agency nodes (a city police
 * department, a state standards board, a tribal police department). Synthetic officers only.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatVerifierKey } from '../../crypto/note/index.js';
import type { ComplianceReport } from '../../hub/compliance/compliance-report.js';
import { witnessVerifierKeyOf } from '../../node/tlog/index.js';
import { generateFederation, seededRng, SYNTHETIC_AGENCIES } from '../../node/synthetic/index.js';
import type { SyntheticAgencyKey } from '../../node/synthetic/index.js';
import { lastClosedPeriod } from '../../protocol/certification.js';
import { randomBytes } from 'node:crypto';
import { bulkLoad, DEMO_CERTIFICATION_PERIOD } from './bulk-load.js';
import { startService, spx, type ServiceProcess } from './processes.js';
import { printCheck, printRunningServices, printStatistics, say, section } from './narration.js';

export interface DemoOptions {
  /** Where the services keep their data; a fresh temporary folder by default. */
  readonly dir?: string;
  /**
   * Hub on basePort, keyholder on basePort+10, nodes on basePort+20..; by default each service
   * takes a free port from the operating system and reports it.
   */
  readonly basePort?: number;
  readonly keepRunning?: boolean;
  readonly seed?: string;
  /**
   * The hub's database: PostgreSQL at `url`, in `schema` (created and migrated by the hub, left
   * in place at the end); by default PGlite in the demo folder. The keyholder and the nodes keep
   * PGlite either way.
   */
  readonly hubDatabase?: HubDatabaseOption;
  readonly out?: (text: string) => void;
}

export interface DemoResult {
  readonly verdicts: Record<string, string>;
  /** Chapter 7: the correction the city's node received after the tribal department's appeal. */
  readonly correction: {
    readonly received: number;
    readonly verdictsChanged: number;
    readonly before: string | null;
    readonly after: string | null;
    /** The verdict of a new check of the same applicant after the change. */
    readonly recheck: string;
  };
  /** Chapter 8: the monitoring notice the city's node received about an officer it employs. */
  readonly monitoring: {
    /** Hub indexes the city enrolled when it published its roster with the new hire. */
    readonly enrolled: number;
    readonly notices: number;
    readonly change: string | null;
    readonly issuer: string | null;
    readonly employeeIds: readonly string[];
  };
  /** Chapter 9: the compliance report's rows for the three agencies, and its summary. */
  readonly compliance: DemoCompliance;
  /** The pages fetched from the running services at the end (probePages). */
  readonly pages: DemoPages;
  /** Services still running (with keepRunning); empty otherwise. */
  readonly services: readonly ServiceProcess[];
  /** Exit code of each service stopped with SIGTERM at the end (0 = clean close). */
  readonly exitCodes: Readonly<Record<string, number | null>>;
  readonly dir: string;
  readonly urls: { readonly hub: string; readonly keyholder: string };
  readonly nodes: Readonly<Record<SyntheticAgencyKey, { url: string; token: string }>>;
  /** Each service's environment, to run it (or its CLI commands) again over the same data. */
  readonly envs: DemoEnvironments;
  /** Whether each node's monitor pass at the end verified the log without an alert. */
  readonly monitorOk: Partial<Record<SyntheticAgencyKey, boolean>>;
  /** The witness agency's verifier key, which the other nodes require a cosignature by. */
  readonly witnessKey: string;
}

/** What the running services answered for the pages a person would open. */
export interface DemoPages {
  /** Status and media type of each of the hub's public pages and API documents. */
  readonly hub: Readonly<Record<string, { status: number; type: string | null }>>;
  /** The city's console: sign-in as its demo investigator, then the check form. */
  readonly console: {
    readonly signIn: number;
    readonly landing: string | null;
    readonly form: number | null;
    readonly formHasCandidateFields: boolean;
  };
}

export interface DemoEnvironments {
  readonly hub: Readonly<Record<string, string>>;
  readonly keyholder: Readonly<Record<string, string>>;
  readonly nodes: Readonly<Record<SyntheticAgencyKey, Readonly<Record<string, string>>>>;
}

/** The agency that witnesses the log in the demo: it cosigns every checkpoint it verified. */
export const DEMO_WITNESS: SyntheticAgencyKey = 'state';

/** The agency that opts in to continuous monitoring of its officers (chapter 8). */
export const DEMO_MONITORING: SyntheticAgencyKey = 'city';

/** The city's employee id for the officer it hires in chapter 8. */
const NEW_HIRE_ID = 'CITY-HIRE-0001';

/**
 * Where the services find the hub (the keyholder and the nodes) and the keyholder (the nodes),
 * known once each has started: the hub starts first, then the keyholder, then the nodes.
 */
export interface DemoUpstreams {
  readonly hubUrl?: string;
  readonly keyholderUrl?: string;
}

export interface HubDatabaseOption {
  readonly url: string;
  readonly schema: string;
}

export interface DemoEnvironmentOptions {
  /** The hub on PostgreSQL (DemoOptions.hubDatabase); PGlite in the demo folder by default. */
  readonly hubDatabase?: HubDatabaseOption;
  /** Those not given are left out of the environments (the *_HUB_URL and keyholder URLs). */
  readonly upstreams?: DemoUpstreams;
  /** The other nodes then require this witness's cosignature on the checkpoints they store. */
  readonly witnessKey?: string;
  /** Fixed ports (see DemoOptions.basePort); port 0 (a free one) by default. */
  readonly basePort?: number;
}

/** The environment of every demo service, given the demo folder. */
export function demoEnvironments(
  dir: string,
  options: DemoEnvironmentOptions = {},
): DemoEnvironments {
  const { upstreams = {}, witnessKey, basePort, hubDatabase } = options;
  const port = (offset: number) => String(basePort === undefined ? 0 : basePort + offset);
  const hubDir = path.join(dir, 'hub');
  // What the operators publish out of band and every party pins: the keyholder's public key
  // set and the hub's public key (written at set-up).
  const keyholderKeySet = path.join(dir, 'keyholder-keyset.json');
  const hubKeys = path.join(dir, 'hub-keys.json');
  const nodeEnv = (key: SyntheticAgencyKey, i: number) => ({
    SPX_DATA_DIR: path.join(dir, key, 'data'),
    SPX_NODE_ORI: SYNTHETIC_AGENCIES[key].ori,
    SPX_NODE_KEY_FILE: path.join(dir, key, 'agency-key.json'),
    SPX_NODE_PORT: port(20 + i),
    SPX_NODE_ADMIN_TOKEN: `demo-admin-token-${key}-0123456789abcdef`,
    ...(upstreams.hubUrl === undefined ? {} : { SPX_NODE_HUB_URL: upstreams.hubUrl }),
    ...(upstreams.keyholderUrl === undefined
      ? {}
      : { SPX_NODE_KEYHOLDER_URLS: upstreams.keyholderUrl }),
    SPX_NODE_KEYHOLDER_KEYSET: keyholderKeySet,
    SPX_NODE_HUB_KEYS: hubKeys,
    ...(key === DEMO_WITNESS
      ? { SPX_NODE_WITNESS: 'true' }
      : witnessKey === undefined
        ? {}
        : { SPX_NODE_LOG_WITNESSES: witnessKey, SPX_NODE_LOG_WITNESS_QUORUM: '1' }),
    ...(key === DEMO_MONITORING ? { SPX_NODE_MONITORING: 'true' } : {}),
  });
  return {
    hub: {
      ...(hubDatabase === undefined
        ? { SPX_DATA_DIR: hubDir }
        : { SPX_DATABASE_URL: hubDatabase.url, SPX_DATABASE_SCHEMA: hubDatabase.schema }),
      SPX_HUB_PORT: port(0),
      SPX_HUB_KEY_FILE: path.join(hubDir, 'hub-signing-key.json'),
      SPX_HUB_EPOCHS: '1',
      // The keyholder's public key set goes into the transparency log at start-up.
      SPX_HUB_KEYHOLDER_KEYSET: keyholderKeySet,
      // The demo's federation is tiny; a real hub keeps the default of 10.
      SPX_HUB_STATS_MIN_CELL: '3',
      // Statistics are released per period; a real hub publishes monthly (the default).
      SPX_HUB_STATS_PERIOD: String(DEMO_STATS_PERIOD_SECONDS),
      SPX_HUB_CERTIFICATION_PERIOD: DEMO_CERTIFICATION_PERIOD,
    },
    keyholder: {
      SPX_DATA_DIR: path.join(dir, 'keyholder'),
      SPX_KEYHOLDER_PORT: port(10),
      ...(upstreams.hubUrl === undefined ? {} : { SPX_KEYHOLDER_HUB_URL: upstreams.hubUrl }),
    },
    nodes: { city: nodeEnv('city', 0), state: nodeEnv('state', 1), tribal: nodeEnv('tribal', 2) },
  };
}

const AGENCY_KEYS: readonly SyntheticAgencyKey[] = ['city', 'state', 'tribal'];
const AS_OF = '2026-06-30';
export const DEMO_OUTCOME_RATE = 0.35;

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? ((t: string) => process.stdout.write(t));
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'spx-demo-')));
  await rm(dir, { recursive: true, force: true });
  // Keys and records live below: private to this user (the services refuse open data folders).
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ports = {
    ...(options.basePort === undefined ? {} : { basePort: options.basePort }),
    ...(options.hubDatabase === undefined ? {} : { hubDatabase: options.hubDatabase }),
  };
  const services: ServiceProcess[] = [];
  const exitCodes: Record<string, number | null> = {};
  const stopAll = async () => {
    for (const s of [...services].reverse()) exitCodes[s.name] = await s.stop();
  };

  try {
    section(out, '1. Setting up: keys and enrollment');
    const hubDir = path.join(dir, 'hub');
    const keyholderDir = path.join(dir, 'keyholder');
    await mkdir(hubDir, { recursive: true, mode: 0o700 });
    const hubKeyFile = path.join(hubDir, 'hub-signing-key.json');
    const [, hubKey] = await Promise.all([
      spx(['keyholder', 'init', '--epoch', '1', '--data-dir', keyholderDir]),
      spx(['hub', 'keygen', '--out', hubKeyFile, '--json']),
    ]);
    const published = demoEnvironments(dir, ports);
    // `spx hub …` as the hub's operator runs it: on the hub's database (or, while the hub runs
    // on PGlite, through its operator socket), with its key file and certification period.
    const hubCli = hubCliEnv(published.hub);
    await writeFile(
      published.hub.SPX_HUB_KEYHOLDER_KEYSET!,
      await spx(['keyholder', 'keyset', '--data-dir', keyholderDir]),
    );
    await writeFile(published.nodes.city.SPX_NODE_HUB_KEYS!, `{"keys":[${hubKey.trim()}]}`);
    say(out, 'The keyholder created its OPRF key for epoch 1; the hub created its signing key.');
    say(out, 'Both public keys are published; every node pins them.');

    let witnessKey = '';
    for (const key of AGENCY_KEYS) {
      const agency = SYNTHETIC_AGENCIES[key];
      const nodeDir = path.join(dir, key);
      await mkdir(nodeDir, { recursive: true, mode: 0o700 });
      const keyFile = path.join(nodeDir, 'agency-key.json');
      const generated = JSON.parse(await spx(['node', 'keygen', '--out', keyFile, '--json'])) as {
        publicJwk: { x: string };
      };
      const witness = key === DEMO_WITNESS;
      if (witness) {
        witnessKey = formatVerifierKey(witnessVerifierKeyOf(agency.ori, generated.publicJwk));
      }
      const pubFile = path.join(nodeDir, 'agency-key.pub.json');
      await writeFile(pubFile, JSON.stringify(generated.publicJwk));
      await spx([
        'hub', 'enroll',
        '--ori', agency.ori, '--name', agency.name, '--level', agency.level,
        '--state', agency.state, '--roles', witness ? 'reporter,checker,witness' : 'reporter,checker',
        '--jwk', pubFile,
        '--contact-name', agency.contact.name, '--contact-email', agency.contact.email,
        '--contact-phone', agency.contact.phone,
      ], hubCli); // prettier-ignore
      // The keyholder's operator admits the agency's key on its own: the hub's enrollment alone
      // does not let an agency evaluate (docs/keyholder.md "Admission").
      await spx([
        'keyholder',
        'admit',
        '--ori',
        agency.ori,
        '--jwk',
        pubFile,
        '--data-dir',
        keyholderDir,
      ]);
      say(
        out,
        `Enrolled ${agency.name} (${agency.ori}, ${agency.level}) with its public key at the hub` +
          (witness ? ', also as a witness of the log' : '') +
          '; the keyholder admitted it.',
      );
    }

    section(out, '2. Starting the services (separate processes, loopback only)');
    // Each service reports the port it bound; the services after it are told the address.
    const logs = (name: string) => path.join(dir, `${name}.log`);
    const hub = await startService({
      name: 'hub',
      args: ['hub', 'serve'],
      logFile: logs('hub'),
      env: demoEnvironments(dir, ports).hub,
    });
    services.push(hub);
    const keyholder = await startService({
      name: 'keyholder',
      args: ['keyholder', 'serve'],
      logFile: logs('keyholder'),
      env: demoEnvironments(dir, { ...ports, upstreams: { hubUrl: hub.url } }).keyholder,
    });
    services.push(keyholder);
    const upstreams = { hubUrl: hub.url, keyholderUrl: keyholder.url };
    const envs = demoEnvironments(dir, { ...ports, upstreams, witnessKey });
    say(out, `hub ${hub.url}   keyholder ${keyholder.url}`);
    const started = await Promise.all(
      AGENCY_KEYS.map((key) =>
        startService({
          name: key,
          args: ['node', 'serve'],
          logFile: logs(key),
          env: envs.nodes[key],
        }),
      ),
    );
    services.push(...started);
    const nodes = Object.fromEntries(
      AGENCY_KEYS.map((key, i) => [
        key,
        {
          url: started[i]!.url,
          token: envs.nodes[key].SPX_NODE_ADMIN_TOKEN!,
          dir: path.join(dir, key),
        },
      ]),
    ) as Record<SyntheticAgencyKey, { url: string; token: string; dir: string }>;
    for (const key of AGENCY_KEYS) say(out, `${SYNTHETIC_AGENCIES[key].name}: ${nodes[key].url}`);

    section(out, '3. Each agency imports its HR and internal-affairs exports (synthetic people)');
    const federation = generateFederation({
      rng: seededRng(options.seed ?? 'spx-demo'),
      asOf: AS_OF,
    });
    for (const key of AGENCY_KEYS) {
      const data = federation.agencies[key];
      const api = nodeApi(nodes[key]);
      const officers = await api.post('/v1/import/officers', data.officersCsv, 'text/csv');
      const outcomes = await api.post('/v1/import/outcomes', data.outcomesCsv, 'text/csv');
      say(
        out,
        `${data.agency.name}: ${summary(officers)} officers, ${summary(outcomes)} outcomes imported (kept on the node).`,
      );
    }

    section(out, '4. Publishing: tokenize through the keyholder, sign, send to the hub');
    for (const key of AGENCY_KEYS) {
      const result = await nodeApi(nodes[key]).post('/v1/publish', '{}', 'application/json');
      say(out, `${SYNTHETIC_AGENCIES[key].name}: ${describePublish(result)}`);
    }
    say(
      out,
      'The hub now holds signed attestations over hub indexes — no names, no dates of birth.',
    );
    // The city monitors its officers (chapter 8): records the other agencies just published
    // about its current officers are already in its mailbox.
    const earlyNotices = (await nodeApi(nodes[DEMO_MONITORING]).post(
      '/v1/inbox/poll',
      '{}',
      'application/json',
    )) as { notices: number };
    say(
      out,
      `${SYNTHETIC_AGENCIES[DEMO_MONITORING].name} monitors its current officers: ${String(earlyNotices.notices)} monitoring notice(s) about records other agencies hold (chapter 8).`,
    );

    section(out, '5. Hiring checks');
    const verdicts: Record<string, string> = {};
    const monitorOk: Partial<Record<SyntheticAgencyKey, boolean>> = {};
    for (const check of federation.story) {
      const node = nodes[check.checkingAgency];
      const result = (await nodeApi(node).post(
        '/v1/checks',
        JSON.stringify({
          candidate: check.candidate,
          purpose: 'hiring',
          consentRef: `CONSENT-${check.key.toUpperCase()}-2026`,
        }),
        'application/json',
      )) as Record<string, unknown>;
      verdicts[check.key] = printCheck(
        out,
        check,
        SYNTHETIC_AGENCIES[check.checkingAgency].name,
        result,
      );
    }

    section(out, '6. Public statistics from the hub (small cells suppressed)');
    // Three agencies make no national table: the hub also hears from synthetic ones.
    const bulk = await bulkLoad({
      hubUrl: hub.url,
      hubCli,
      seed: options.seed ?? 'spx-demo',
      epoch: 1,
    });
    say(
      out,
      `Meanwhile ${String(bulk.agencies)} synthetic agencies (${String(bulk.sworn)} sworn officers), ` +
        `enrolled through the hub's operator socket, reported ${String(bulk.statements)} synthetic ` +
        'final outcomes (random hub indexes: about no one) and certified the last month.',
    );
    // Each agency certifies the last closed month (the demo's period, so that its certifications
    // are on time whatever the day it runs) with its sworn headcount (a zero report if
    // it had nothing to report then): coverage decides what the release may publish.
    for (const key of AGENCY_KEYS) {
      const certified = (await nodeApi(nodes[key]).post(
        '/v1/certifications',
        JSON.stringify({ periodLength: DEMO_CERTIFICATION_PERIOD }),
        'application/json',
      )) as { certification: { period: string; sworn: number; zeroReport: boolean } };
      const c = certified.certification;
      say(
        out,
        `${SYNTHETIC_AGENCIES[key].name} certified ${c.period}: ${String(c.sworn)} sworn officers` +
          (c.zeroReport ? ', a zero report.' : '.'),
      );
    }
    printStatistics(out, await statisticsReleasedAfter(hub.url, Date.now()));

    section(out, '7. A record changes: the correction reaches the agency that checked');
    const moderate = federation.story.find((c) => c.key === 'moderate')!;
    const appealed = moderate.hits[0]!;
    const reporter = nodes[appealed.agency];
    const checker = nodes[moderate.checkingAgency];
    say(
      out,
      `${SYNTHETIC_AGENCIES[appealed.agency].name} overturns case ${appealed.caseNumber} on appeal: it`,
    );
    say(out, 're-imports its outcomes with the new status and publishes the change.');
    const reporterOutcomes = withStatus(
      federation.agencies[appealed.agency].outcomesCsv,
      appealed.caseNumber,
      { status: 'overturned', statusDate: AS_OF },
    );
    await nodeApi(reporter).post('/v1/import/outcomes', reporterOutcomes, 'text/csv');
    say(
      out,
      `${SYNTHETIC_AGENCIES[appealed.agency].name}: ${describePublish(
        await nodeApi(reporter).post('/v1/publish', '{}', 'application/json'),
      )}`,
    );
    const poll = (await nodeApi(checker).post('/v1/inbox/poll', '{}', 'application/json')) as {
      received: number;
      verdictsChanged: number;
    };
    const inbox = (await nodeApi(checker).get('/v1/inbox?limit=5')) as {
      messages: readonly {
        correction: { checkId: string; verdictBefore: string; verdictAfter: string } | null;
        outcome: string;
      }[];
    };
    const correction = inbox.messages.find((m) => m.correction !== null)?.correction ?? null;
    say(
      out,
      `${SYNTHETIC_AGENCIES[moderate.checkingAgency].name}'s node polls its mailbox at the hub: ${poll.received} correction(s);`,
    );
    if (correction !== null) {
      say(
        out,
        `its earlier check ${correction.checkId} is marked changed: ${correction.verdictBefore} → ${correction.verdictAfter}.`,
      );
    }
    const recheck = (await nodeApi(checker).post(
      '/v1/checks',
      JSON.stringify({
        candidate: moderate.candidate,
        purpose: 'hiring',
        consentRef: 'CONSENT-MODERATE-2026-B',
      }),
      'application/json',
    )) as { result: { verdict: string } };
    say(out, `A new check of the same applicant now answers: ${recheck.result.verdict}.`);

    section(out, '8. Continuous monitoring: a current officer’s new record reaches the employer');
    const employer = nodes[DEMO_MONITORING];
    say(
      out,
      `Cleared on appeal, ${moderate.candidate.firstName} ${moderate.candidate.lastName} is hired by the ${SYNTHETIC_AGENCIES[DEMO_MONITORING].name}, which`,
    );
    say(
      out,
      'has opted in to monitoring (SPX_NODE_MONITORING=true; the other agencies have not): when it',
    );
    say(
      out,
      'publishes, its node enrolls the hub indexes of its current officers — only the indexes.',
    );
    await nodeApi(employer).post(
      '/v1/import/officers',
      withRow(federation.agencies[DEMO_MONITORING].officersCsv, {
        employee_id: NEW_HIRE_ID,
        first_name: moderate.candidate.firstName,
        last_name: moderate.candidate.lastName,
        date_of_birth: moderate.candidate.dob ?? '',
        ssn: moderate.candidate.ssn ?? '',
        former_names: (moderate.candidate.aliases ?? []).map((a) => a.lastName).join(';'),
        hire_date: AS_OF,
      }),
      'text/csv',
    );
    const hiring = (await nodeApi(employer).post('/v1/publish', '{}', 'application/json')) as {
      monitoring?: { officers: number; enrolled: number; renewed: number } | null;
    };
    const enrolled = hiring.monitoring?.enrolled ?? 0;
    say(
      out,
      `${SYNTHETIC_AGENCIES[DEMO_MONITORING].name}: ${String(hiring.monitoring?.officers ?? 0)} current officers monitored; ${String(enrolled)} new hub index(es) enrolled for the new hire.`,
    );
    say(
      out,
      `Later, ${SYNTHETIC_AGENCIES[appealed.agency].name} reports a new, final finding about her from before she left:`,
    );
    await nodeApi(reporter).post(
      '/v1/import/outcomes',
      withNewCase(reporterOutcomes, appealed.caseNumber, `${appealed.caseNumber}-B`),
      'text/csv',
    );
    say(
      out,
      `${SYNTHETIC_AGENCIES[appealed.agency].name}: ${describePublish(
        await nodeApi(reporter).post('/v1/publish', '{}', 'application/json'),
      )}`,
    );
    const monitoringPoll = (await nodeApi(employer).post(
      '/v1/inbox/poll',
      '{}',
      'application/json',
    )) as { notices: number };
    const employerInbox = (await nodeApi(employer).get('/v1/inbox?limit=5')) as {
      messages: readonly {
        monitoring: {
          change: string;
          issuer: string | null;
          status: string | null;
          category: string | null;
          employeeIds: string[];
        } | null;
      }[];
    };
    const notice = employerInbox.messages.find((m) => m.monitoring !== null)?.monitoring ?? null;
    say(
      out,
      `${SYNTHETIC_AGENCIES[DEMO_MONITORING].name}'s node polls its mailbox: ${String(monitoringPoll.notices)} monitoring notice(s).`,
    );
    if (notice !== null) {
      say(
        out,
        `Monitoring notice: ${notice.change} by ${notice.issuer ?? '?'} — ${notice.category ?? '?'}, ${notice.status ?? '?'} — about its officer ${notice.employeeIds.join(', ')}.`,
      );
    }
    say(
      out,
      'The hub knew only that indexes the city enrolled appear in the statement; the node alone',
    );
    say(out, 'knows which of its officers they belong to.');

    section(out, '9. Credentialing and compliance: grant eligibility with its reasons');
    const compliance = await credentialingChapter(out, {
      dir,
      hubCli,
      hubUrl: hub.url,
      city: nodes.city,
      state: nodes.state,
    });

    // Console users for a person to sign in with (docs/node.md "Console"), made through each
    // node's admin API as `spx node user add` does; passwords random, printed with
    // --keep-running. The pages a person would open are then fetched from the running
    // services: the hub's public pages and a sign-in to the city's console. Before the log
    // chapter: a page may enter a new statistics release in the log, and that chapter's
    // witness cosignature must be of the log as the demo leaves it.
    const consoleUsers = await Promise.all(
      AGENCY_KEYS.map((key) => addDemoConsoleUsers(nodes[key].url, nodes[key].token)),
    );
    const pages = await probePages(
      hub.url,
      nodes.city.url,
      consoleUsers[AGENCY_KEYS.indexOf('city')]![0]!,
    );

    section(out, '10. The transparency log: every node checks the hub');
    say(
      out,
      'Every receipt above carried an inclusion proof against a checkpoint signed by the hub; each',
    );
    say(
      out,
      'node now re-proves its own statements in the latest checkpoint, as its monitor does.',
    );
    say(
      out,
      'The state standards board is also a witness: it cosigns the checkpoint it verified, and',
    );
    say(out, 'the other nodes store a checkpoint only with its cosignature (a quorum of 1):');
    const witnessFirst = [DEMO_WITNESS, ...AGENCY_KEYS.filter((k) => k !== DEMO_WITNESS)];
    for (const key of witnessFirst) {
      const pass = (await nodeApi(nodes[key]).post(
        '/v1/log/monitor',
        '{}',
        'application/json',
      )) as {
        ok: boolean;
        checkpoint: { size: number } | null;
        proved: number;
        cosigned: boolean | null;
        alerts: readonly { code: string }[];
      };
      monitorOk[key] = pass.ok;
      say(
        out,
        `${SYNTHETIC_AGENCIES[key].name}: ${
          pass.ok
            ? `log of ${String(pass.checkpoint?.size ?? '?')} entries verified and consistent; ${String(pass.proved)} own statements re-proved in it (the others already were, from their receipts)` +
              (pass.cosigned === true
                ? '; cosigned as witness'
                : '; with the witness cosignature it requires')
            : `ALERT ${pass.alerts.map((a) => a.code).join(', ')}`
        }`,
      );
    }

    if (options.keepRunning) {
      printRunningServices(out, {
        hub: hub.url,
        keyholder: keyholder.url,
        nodes: AGENCY_KEYS.map((key, i) => ({
          name: SYNTHETIC_AGENCIES[key].name,
          ...nodes[key],
          consoleUsers: consoleUsers[i]!,
        })),
        dir,
      });
    } else {
      await stopAll();
      services.length = 0;
      const unclean = Object.entries(exitCodes).filter(([, code]) => code !== 0);
      say(
        out,
        unclean.length === 0
          ? `\nAll services stopped cleanly. Data and logs: ${dir}`
          : `\nServices that did not stop cleanly: ${unclean.map(([n, c]) => `${n} (${String(c)})`).join(', ')}. Logs: ${dir}`,
      );
    }
    return {
      compliance,
      pages,
      verdicts,
      correction: {
        received: poll.received,
        verdictsChanged: poll.verdictsChanged,
        before: correction?.verdictBefore ?? null,
        after: correction?.verdictAfter ?? null,
        recheck: recheck.result.verdict,
      },
      monitoring: {
        enrolled,
        notices: monitoringPoll.notices,
        change: notice?.change ?? null,
        issuer: notice?.issuer ?? null,
        employeeIds: notice?.employeeIds ?? [],
      },
      services,
      exitCodes,
      dir,
      urls: { hub: hub.url, keyholder: keyholder.url },
      nodes,
      envs,
      monitorOk,
      witnessKey,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** `csv` with the row of `caseNumber` given a new status (the appeal of chapter 7). */
function withStatus(
  csv: string,
  caseNumber: string,
  change: { status: string; statusDate: string },
): string {
  const lines = csv.split('\n');
  const header = lines[0]!.split(',');
  const at = (name: string) => header.indexOf(name);
  let found = false;
  const out = lines.map((line, i) => {
    const cells = line.split(',');
    if (i === 0 || cells[at('case_number')] !== caseNumber) return line;
    found = true;
    cells[at('status')] = change.status;
    cells[at('status_date')] = change.statusDate;
    return cells.join(',');
  });
  if (!found) throw new Error(`case ${caseNumber} is not in the outcomes file`);
  return out.join('\n');
}

/** `csv` with one more row, its cells named by column (the others left empty). */
function withRow(csv: string, cells: Readonly<Record<string, string>>): string {
  const lines = csv.replace(/\n+$/, '').split('\n');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const row = header.map((h) => cells[h] ?? '');
  return `${[...lines, row.join(',')].join('\n')}\n`;
}

/** `csv` with a copy of case `caseNumber` as a new final case `newCase` (chapter 8). */
function withNewCase(csv: string, caseNumber: string, newCase: string): string {
  const lines = csv.replace(/\n+$/, '').split('\n');
  const header = lines[0]!.split(',');
  const at = (name: string) => header.indexOf(name);
  const original = lines.find((l) => l.split(',')[at('case_number')] === caseNumber);
  if (original === undefined) throw new Error(`case ${caseNumber} is not in the outcomes file`);
  const cells = original.split(',');
  cells[at('case_number')] = newCase;
  cells[at('category')] = 'suspension';
  cells[at('event_date')] = '2026-01-15';
  cells[at('outcome_date')] = '2026-05-20';
  cells[at('status')] = 'final';
  cells[at('status_date')] = AS_OF;
  if (at('disputed_since') >= 0) cells[at('disputed_since')] = '';
  return `${[...lines, cells.join(',')].join('\n')}\n`;
}

function nodeApi(node: { url: string; token: string }) {
  return {
    async get(route: string): Promise<unknown> {
      const res = await fetch(node.url + route, {
        headers: { authorization: `Bearer ${node.token}` },
      });
      const json: unknown = await res.json();
      if (!res.ok)
        throw new Error(`${route} on ${node.url}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async post(route: string, body: string, contentType: string): Promise<unknown> {
      const res = await fetch(node.url + route, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${node.token}`, 'content-type': contentType },
      });
      const json: unknown = await res.json();
      if (!res.ok)
        throw new Error(`${route} on ${node.url}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
  };
}

function summary(report: unknown): string {
  const s = (report as { summary?: Record<string, number> }).summary ?? {};
  return `${s['rows'] ?? '?'} (${s['inserted'] ?? 0} new)`;
}

function describePublish(result: unknown): string {
  const r = result as {
    publish: { signed: number; failed: readonly unknown[] };
    delivery: { accepted: number; duplicate: number; rejected: number; retrying: number };
  };
  const d = r.delivery;
  return (
    `${r.publish.signed} attestations signed; hub accepted ${d.accepted}` +
    (d.duplicate ? `, ${d.duplicate} already held` : '') +
    (d.rejected ? `, rejected ${d.rejected}` : '') +
    (d.retrying ? `, ${d.retrying} waiting to retry` : '') +
    (r.publish.failed.length ? `; ${r.publish.failed.length} records could not be tokenized` : '')
  );
}

/** The demo's statistics period: short, so the release after publishing comes within seconds. */
const DEMO_STATS_PERIOD_SECONDS = 5;

/**
 * The first statistics release that counts what was published at `publishedAt`: a release covers
 * the statements received before its `asOf`, so wait for a release whose `asOf` is later
 * (at most one period plus the hub's settling delay).
 */
async function statisticsReleasedAfter(
  hubUrl: string,
  publishedAt: number,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${hubUrl}/v1/statistics`);
    const body = (await response.json()) as Record<string, unknown>;
    const metadata = (body['metadata'] ?? {}) as Record<string, unknown>;
    const asOf = Date.parse(String(metadata['asOf']));
    const next = Date.parse(String(metadata['nextAsOf']));
    if (!(asOf <= publishedAt) || attempt >= 5 || Number.isNaN(next)) return body;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now()) + 600));
  }
}

export interface DemoCompliance {
  readonly period: string;
  readonly rows: Readonly<
    Record<
      SyntheticAgencyKey,
      { credential: string; certification: string; eligible: boolean; bars: readonly string[] }
    >
  >;
  readonly summary: { agencies: number; eligible: number; barredBy: Record<string, number> };
}

/** The credentialing body of chapter 9 (a made-up accreditation commission). */
const DEMO_BODY = {
  id: 'demo-accreditation',
  name: 'Demo Law Enforcement Accreditation Commission',
};

/**
 * Chapter 9: the hub operator enrolls a credentialing body (standing for the Attorney
 * General's certification of it); the body credentials the city from its own machine with the
 * CLI; the state board's chief affirms it is "in process"; the tribal department is exempt. The
 * hub then signs the period's compliance report, read here through its operator socket.
 */
async function credentialingChapter(
  out: (text: string) => void,
  ctx: {
    dir: string;
    hubCli: Readonly<Record<string, string>>;
    hubUrl: string;
    city: { url: string; token: string };
    state: { url: string; token: string };
  },
): Promise<DemoCompliance> {
  const bodyDir = path.join(ctx.dir, 'body');
  await mkdir(bodyDir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(bodyDir, 'body-key.json');
  const generated = JSON.parse(await spx(['body', 'keygen', '--out', keyFile, '--json'])) as {
    publicJwk: unknown;
  };
  const pubFile = path.join(bodyDir, 'body-key.pub.json');
  await writeFile(pubFile, JSON.stringify(generated.publicJwk));
  await spx([
    'hub', 'body', 'enroll', '--id', DEMO_BODY.id, '--name', DEMO_BODY.name, '--jwk', pubFile,
    '--contact-name', 'Accreditation Office', '--contact-email', 'office@accreditation.example',
    '--contact-phone', '+15405550100',
  ], ctx.hubCli); // prettier-ignore
  say(out, `The hub operator enrolled a credentialing body, ${DEMO_BODY.name},`);
  say(out, "standing for the Attorney General's certification of it; the enrolment is logged.");
  const assessedOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const city = SYNTHETIC_AGENCIES.city;
  await spx([
    'body', 'credential', 'issue', '--key', keyFile, '--body', DEMO_BODY.id, '--ori', city.ori,
    '--assessed-on', assessedOn,
    '--met', 'use_of_force_policy_lawful,chokehold_ban,de_escalation_training',
    '--not-met', 'early_warning_system',
    '--out', path.join(bodyDir, `${city.ori}.credential.jws`), '--hub-url', ctx.hubUrl,
  ]); // prettier-ignore
  say(
    out,
    `The body assessed ${city.name} on ${assessedOn} and sent its signed credential from the CLI:`,
  );
  say(
    out,
    'lawful use-of-force policy and chokehold ban (both mandatory), de-escalation training.',
  );
  await nodeApi(ctx.state).post('/v1/credentials/affirmations', '{}', 'application/json');
  say(out, `The chief of ${SYNTHETIC_AGENCIES.state.name} affirmed it is "in process"`);
  say(out, '(an affirmation counts for 12 months).');
  say(out, `${SYNTHETIC_AGENCIES.tribal.name} is exempt: EO 13929 exempts tribal agencies.`);

  const period = lastClosedPeriod(new Date(), DEMO_CERTIFICATION_PERIOD);
  const report = JSON.parse(
    await spx(['hub', 'report', 'compliance', '--period', period, '--format', 'json'], ctx.hubCli),
  ) as ComplianceReport;
  say(out, `The hub's signed compliance report for ${period} (rule ${String(report.rule)}):`);
  const rows = {} as Record<SyntheticAgencyKey, DemoCompliance['rows'][SyntheticAgencyKey]>;
  for (const key of AGENCY_KEYS) {
    const agency = SYNTHETIC_AGENCIES[key];
    const row = report.agencies.find((a) => a.ori === agency.ori);
    if (row === undefined) throw new Error(`the compliance report has no row for ${agency.ori}`);
    const bars = row.reasons.filter((r) => r.effect === 'bars').map((r) => r.code);
    rows[key] = {
      credential: row.credential.standing,
      certification: row.certification.standing,
      eligible: row.eligible,
      bars,
    };
    say(out, `  ${agency.name} (${agency.ori}): ${row.eligible ? 'ELIGIBLE' : 'NOT ELIGIBLE'}`);
    for (const r of row.reasons) say(out, `    ${r.effect === 'bars' ? '✗' : '✓'} ${r.text}`);
  }
  const barred = Object.entries(report.summary.barredBy)
    .map(([code, n]) => `${code} ${String(n)}`)
    .join(', ');
  say(
    out,
    `All ${String(report.summary.agencies)} agencies: ${String(report.summary.eligible)} eligible` +
      (barred === '' ? '.' : `; barred by ${barred}.`),
  );
  say(out, 'The synthetic agencies hold no credential: those that are not tribal are barred by');
  say(out, 'credential_missing, and those whose outcomes came late to the hub by reports_late.');
  return {
    period,
    rows,
    summary: {
      agencies: report.summary.agencies,
      eligible: report.summary.eligible,
      barredBy: { ...report.summary.barredBy } as Record<string, number>,
    },
  };
}

/** The variables of the hub's environment its operator's `spx hub …` commands need. */
function hubCliEnv(hub: Readonly<Record<string, string>>): Record<string, string> {
  const names = [
    'SPX_DATA_DIR',
    'SPX_DATABASE_URL',
    'SPX_DATABASE_SCHEMA',
    'SPX_HUB_KEY_FILE',
    'SPX_HUB_CERTIFICATION_PERIOD',
  ];
  return Object.fromEntries(names.flatMap((n) => (hub[n] === undefined ? [] : [[n, hub[n]]])));
}

/** The hub's pages and API documents fetched once each, and a sign-in to a node's console. */
export const DEMO_HUB_PAGES = [
  '/',
  '/statistics',
  '/statistics.csv',
  '/coverage',
  '/compliance',
  '/log',
  '/agencies',
  '/openapi.json',
  '/docs',
] as const;

async function probePages(
  hubUrl: string,
  nodeUrl: string,
  user: { login: string; password: string },
): Promise<DemoPages> {
  const hub: Record<string, { status: number; type: string | null }> = {};
  for (const page of DEMO_HUB_PAGES) {
    const res = await fetch(`${hubUrl}${page}`);
    await res.arrayBuffer();
    hub[page] = { status: res.status, type: res.headers.get('content-type') };
  }
  // A browser's form post: same-origin Origin header, form encoding, no redirect followed.
  const signIn = await fetch(`${nodeUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: nodeUrl, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: user.login, password: user.password }).toString(),
  });
  await signIn.arrayBuffer();
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
  let form: number | null = null;
  let formHasCandidateFields = false;
  if (cookie !== undefined) {
    const res = await fetch(`${nodeUrl}/console/checks/new`, { headers: { cookie } });
    const text = await res.text();
    form = res.status;
    formHasCandidateFields = /name="lastName"/.test(text) && /name="dob"/.test(text);
  }
  return {
    hub,
    console: {
      signIn: signIn.status,
      landing: signIn.headers.get('location'),
      form,
      formHasCandidateFields,
    },
  };
}

/** The demo's console users of one node: an investigator and an administrator. */
async function addDemoConsoleUsers(
  url: string,
  token: string,
): Promise<{ login: string; role: string; password: string }[]> {
  const users = [
    { login: 'investigator', displayName: 'Demo Investigator', role: 'investigator' },
    { login: 'admin', displayName: 'Demo Administrator', role: 'administrator' },
  ];
  const made = [];
  for (const user of users) {
    const password = randomBytes(12).toString('base64url');
    const res = await fetch(`${url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, password }),
    });
    if (res.status !== 201) throw new Error(`adding console user ${user.login}: ${res.status}`);
    made.push({ login: user.login, role: user.role, password });
  }
  return made;
}
