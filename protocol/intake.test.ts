import { describe, expect, it } from 'vitest';
import { decodeJson, encodeMessage } from './decode.js';
import { EXAMPLE_IDS, exampleIntakeBatch, exampleIntakeReceipt, exampleJws } from './examples.js';
import {
  IntakeBatchSchema,
  intakeReceiptSchemaFor,
  IntakeReceiptSchema,
  MAX_INTAKE_BATCH,
  MAX_LOG_EVIDENCE_CHARS,
} from './intake.js';
import { decodeOutcome, rejected } from './outcome.js';

const ok = { ok: true };
const invalid = (...errors: string[]) => rejected('VALIDATION_FAILED', ...errors);
const jws = (i: number) => exampleJws('spx-attestation+jws', { n: i }, `a${i}`);

describe('intake batch', () => {
  it('round-trips through JSON', () => {
    const b = exampleIntakeBatch();
    expect(decodeJson(IntakeBatchSchema, encodeMessage(IntakeBatchSchema, b))).toEqual(b);
  });

  it('carries 1..500 distinct compact JWS strings', () => {
    const full = Array.from({ length: MAX_INTAKE_BATCH }, (_, i) => jws(i));
    expect(decodeOutcome(IntakeBatchSchema, { attestations: full })).toEqual(ok);
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [...full, jws(500)] })).toEqual(
      invalid('attestations: too_many'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [] })).toEqual(
      invalid('attestations: too_few'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [jws(1), jws(2), jws(1)] })).toEqual(
      invalid('attestations[2]: duplicate'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [jws(1), 'not.a.jws'] })).toEqual(
      invalid('attestations[1]: invalid_format'),
    );
    expect(decodeOutcome(IntakeBatchSchema, { attestations: [{ payload: 'x' }] })).toEqual(
      invalid('attestations[0]: invalid_type'),
    );
  });
});

describe('intake receipt', () => {
  const receipt = exampleIntakeReceipt();
  const item = receipt.receipts[0]!;

  it('round-trips through JSON', () => {
    expect(decodeJson(IntakeReceiptSchema, encodeMessage(IntakeReceiptSchema, receipt))).toEqual(
      receipt,
    );
  });

  it('gives each attestation accepted or duplicate with the time it was first received', () => {
    expect(
      decodeOutcome(IntakeReceiptSchema, { receipts: [{ ...item, status: 'duplicate' }] }),
    ).toEqual(ok);
    expect(
      decodeOutcome(IntakeReceiptSchema, { receipts: [{ ...item, status: 'rejected' }] }),
    ).toEqual(invalid('receipts[0].status: invalid_value'));
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [item, item] })).toEqual(
      invalid('receipts[1].id: duplicate'),
    );
    expect(
      decodeOutcome(IntakeReceiptSchema, {
        receipts: [{ ...item, receivedAt: '2023-11-02T15:04:07.123Z' }],
      }),
    ).toEqual(invalid('receipts[0].receivedAt: invalid_format'));
  });

  it('accepts opaque transparency-log evidence in the reserved log members, bounded', () => {
    const evidence = {
      leafIndex: 42,
      proof: ['aGFzaA'],
      checkpoint: 'example.org/log\n43\nroot\n',
    };
    expect(
      decodeOutcome(IntakeReceiptSchema, {
        receipts: [{ ...item, log: evidence }],
        log: { treeSize: 43 },
      }),
    ).toEqual(ok);
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [{ ...item, log: 'leaf 42' }] })).toEqual(
      invalid('receipts[0].log: invalid_type'),
    );
    const huge = { blob: 'x'.repeat(MAX_LOG_EVIDENCE_CHARS) };
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [item], log: huge })).toEqual(
      invalid('log: too_long'),
    );
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [item], log: { deep } })).toEqual(
      invalid('log: not_allowed'),
    );
    let ok32: unknown = 1;
    for (let i = 0; i < 31; i++) ok32 = [ok32];
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [item], log: { a: ok32 } })).toEqual(ok);
    // Other unknown members stay forbidden.
    expect(decodeOutcome(IntakeReceiptSchema, { receipts: [{ ...item, leafIndex: 42 }] })).toEqual(
      invalid('receipts[0].leafIndex: unknown_field'),
    );
  });

  it('must answer the batch sent: one receipt per attestation, same ids, same order', () => {
    const other = '0190f1c2-3b4a-7c5d-8e6f-000000000009';
    const schema = intakeReceiptSchemaFor([EXAMPLE_IDS.attestation, other]);
    const two = { receipts: [item, { ...item, id: other }] };
    expect(decodeOutcome(schema, two)).toEqual(ok);
    expect(decodeOutcome(schema, { receipts: [two.receipts[1], two.receipts[0]] })).toEqual(
      invalid('receipts[0].id: mismatch', 'receipts[1].id: mismatch'),
    );
    expect(decodeOutcome(schema, receipt)).toEqual(invalid('receipts: mismatch'));
  });
});
