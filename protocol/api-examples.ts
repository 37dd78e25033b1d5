/**
 * Examples in the services' API documents (platform/http/openapi), copied from the protocol's
 * message vectors (test/vectors/protocol/messages.json, valid cases) so a reader sees real
 * messages; test/conformance/api-examples.test.ts keeps each equal to its vector, and each service's document
 * test validates them against the document. Compact JWS strings have the right shape but
 * placeholder signatures, as in the vectors.
 */

/** Which vector each example is: message and case name. */
export const API_EXAMPLE_SOURCES = {
  checkRequest: { message: 'check-request', name: 'hiring check' },
  intakeBatch: { message: 'intake-batch', name: 'one attestation' },
  intakeReceipt: { message: 'intake-receipt', name: 'accepted' },
  mailboxPage: { message: 'mailbox-page', name: 'two messages and more to come' },
  mailboxAck: { message: 'mailbox-ack', name: 'three seqs' },
  certificationSubmission: { message: 'certification-submission', name: 'one certification' },
  certificationReceipt: { message: 'certification-receipt', name: 'accepted on time' },
  registryEntry: { message: 'registry-entry', name: 'local agency' },
  servedEpochs: { message: 'served-epochs', name: 'a changeover: epoch 1 retiring, epoch 2 new' },
  tokenizationRequest: { message: 'tokenization-request', name: 'two blinded elements' },
  tokenizationResponse: {
    message: 'tokenization-response',
    name: 'two evaluated elements and a proof',
  },
} as const;

export const checkRequestExample = {
  purpose: 'hiring',
  consentRef: 'consent/2025/0007',
  epoch: 1,
  keys: [
    { kind: 'ssn', index: 'Ak-WAB68gT37FDp5AfAQm52coCM9JDC6bViS1-4dzoU' },
    { kind: 'name_dob', index: 'CXUFTEcbLVvmrBqU-LkKQ02LfxwSREn8pXT3eQ4rVy8' },
    { kind: 'last_dob', index: 'ya1FnvWSt45hGpk9a-y0FRfTqrptGJ0jlXd4a_zAupI' },
  ],
  policy: {
    categoryList: 1,
    disqualifying: ['decertification', 'criminal_conviction_on_duty', 'termination'],
    review: ['resignation_under_investigation', 'retirement_under_investigation', 'suspension'],
    otherCategories: 'review',
    useOfForce: 'at_least_review',
    findingStrength: 'moderate',
    lookbackYears: null,
    disputed: 'count',
  },
};

export const intakeBatchExample = {
  attestations: [
    'eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiOVhVdWJrYW9WMFNodDJ5aUExZnd2b004Ri1yNHJUWGJmcjNucEY3VTVpYyIsInR5cCI6InNweC1hdHRlc3RhdGlvbitqd3MifQ.eyJ2IjoxLCJpZCI6IjAxOTBmMWMyLTNiNGEtN2M1ZC04ZTZmLTcwODE5MmEzYjRjNSIsImlzc3VlciI6IkNBMDE5NDIwMCIsInRva2VucyI6eyJlcG9jaCI6MSwia2V5cyI6W3sia2luZCI6InNzbiIsImluZGV4IjoiQWstV0FCNjhnVDM3RkRwNUFmQVFtNTJjb0NNOUpEQzZiVmlTMS00ZHpvVSJ9LHsia2luZCI6Im5hbWVfZG9iIiwiaW5kZXgiOiJDWFVGVEVjYkxWdm1yQnFVLUxrS1EwMkxmeHdTUkVuOHBYVDNlUTRyVnk4In0seyJraW5kIjoibGFzdF9kb2IiLCJpbmRleCI6InlhMUZudldTdDQ1aEdwazlhLXkwRlJmVHFycHRHSjBqbFhkNGFfekF1cEkifV19LCJjYXRlZ29yeUxpc3QiOjEsImNhdGVnb3J5IjoidGVybWluYXRpb24iLCJ1c2VPZkZvcmNlIjp0cnVlLCJldmVudERhdGUiOiIyMDIzLTA0LTAyIiwib3V0Y29tZURhdGUiOiIyMDIzLTA5LTE0Iiwic3RhdHVzIjoiZmluYWwiLCJzdGF0dXNEYXRlIjoiMjAyMy0xMS0wMSIsIm5vdGlmaWVkIjp0cnVlLCJkaXNwdXRlZCI6bnVsbCwic3VwZXJzZWRlcyI6bnVsbCwibG9jYWxSZWYiOiJJQS0yMDIzLTAwNDIiLCJpc3N1ZWRBdCI6IjIwMjMtMTEtMDJUMTU6MDQ6MDVaIn0.EoeaHQffacNg0rSwevIw0cghCp1eLKjgoCTqd3XgWRXRFpMfKeaRTXVepb7MYimKhq4sYVO_x6LEpaD-PYduLQ',
  ],
};

export const intakeReceiptExample = {
  receipts: [
    {
      id: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
      status: 'accepted',
      receivedAt: '2023-11-02T15:04:07Z',
      log: {
        index: 42,
        salt: 'I8y6MoR7mCPjL9oKE-EFJwC12_3WoI4pQQTdW537IRw',
        proof: [
          'XCwVfKezu1BPafWVkh7AxZzk_5qU6oBOeMqkOiwVvV4',
          'hH1Dc9F4VFdZ_rvehajdhvfS6BSoDpQfP39nv2nNYBM',
          'NZe8hwHugPoCmrZLRDrAyiJeqsT30AwvNCZ8ISrtR04',
          'rM1OiyYkBbs-4y25GwZASXg3XMJS3ADkUfPTQGlVCfs',
          'MsMID6QVd0AHnlwKTCBUs3m419rcY0M4yQ5v0NgGpAE',
          'q15nhfNaOBLrylyJ04HGoeQifxxZ3wxQQMWt3aehbBk',
        ],
      },
    },
  ],
  log: {
    checkpoint:
      'spx.invalid/hub-log\n43\n1RN3XgZnmWZF/cUCGeAsVJWymjZzXTsnMMgwXh6zh6c=\n\n— spx.invalid/hub-log dT1pmls+ifm0YqgWywmoKUegQaKLznMBbsvKbx1N18F2iPqT7uIYNFgTKLkl/yyte69KlZoRhOWw0l/tKZ+RfnSZffo=\n',
  },
};

export const mailboxPageExample = {
  messages: [
    'eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoieDJxQnlFUTYtelhFQUpOZ1JYYWxkZjF5b0c3cWwwdE1nNEQ5c2Yxd1hoNCIsInR5cCI6InNweC1tYWlsYm94LW1lc3NhZ2UrandzIn0.eyJzZXEiOjF9.WgV5jfn5vT5UPhW6vis6ndoyNJ8uwsaNlT_aCJYoWDpLrBnM5kRhEKHqjnJTPp2xq_oagRJVrhUXERBlUaNmGg',
    'eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiNHVvZzZKR2hmMXlFdnNXSi1xZUhWc0V1dVh5ZlFmX3hJTG4tQ05sTnFzayIsInR5cCI6InNweC1tYWlsYm94LW1lc3NhZ2UrandzIn0.eyJzZXEiOjJ9.HSP0DpVZaj5RYJb_w1jExZHYDQ_Mjvq8OLKfacF1oERKYtXensIOBVBJyZ2-_Wtb_PThdhnCf5vOK4V-MWNuiQ',
  ],
  more: true,
  expiredUnacknowledged: 0,
};

export const mailboxAckExample = { seqs: [3, 5, 9] };

export const certificationSubmissionExample = {
  certification:
    'eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiZEFFd3lmTlBFWnBsMFhjRkhJVjVjT2NoODBoZnN5clBDYWtUcWdKWENTWSIsInR5cCI6InNweC1jZXJ0aWZpY2F0aW9uK2p3cyJ9.eyJ2IjoxLCJpZCI6IjAxOTBmMWMyLTNiNGEtN2M1ZC04ZTZmLTcwODE5MmEzYjRjNSIsImlzc3VlciI6IkNBMDE5NDIwMCIsInBlcmlvZCI6IjIwMjYtUTEiLCJzd29ybiI6NDEyLCJzdGF0ZW1lbnRzIjowLCJ6ZXJvUmVwb3J0Ijp0cnVlLCJzdXBlcnNlZGVzIjpudWxsLCJpc3N1ZWRBdCI6IjIwMjYtMDQtMDNUMTU6MDQ6MDVaIn0.qkE0NqxjcGRg4rxvDtbjcf_6Grjq39vgxA6s2d1VUV33FgnasYO1AkA-6nPrZHZ9qzAtR9TzD6RTLaWhIaftKg',
};

export const certificationReceiptExample = {
  id: '0190f1c2-3b4a-7c5d-8e6f-708192a3b4c5',
  status: 'accepted',
  receivedAt: '2026-04-03T15:04:06Z',
  period: '2026-Q1',
  deadline: '2026-04-30',
  timeliness: 'on_time',
  log: { index: 118, checkpoint: 'hub.example/log\n119\nAAAA\n\n— hub.example/log sig\n' },
};

export const registryEntryExample = {
  ori: 'CA0194200',
  name: 'Example City Police Department',
  jurisdiction: 'local',
  state: 'CA',
  roles: ['reporter', 'checker'],
  keys: [
    {
      kid: 'i1ZQhm3PrlalIw2PRGpp-HpyLzUiLgcwizHZamGh2yw',
      status: 'active',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: '48hMdFfHEBGgYvU2y7XosPuI2exIW2v7FWYx041aN-Y' },
    },
    {
      kid: 'pZnmrrxH3IGlkAKfKkk0RyeYL8XeSuTcNCmGGzVLJow',
      status: 'retired',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: 'ZkMvnLa1elsU7np4oYicFrUkCRiW8XQiCZXl2Zi1KSM' },
    },
  ],
  contact: {
    name: 'Records Custodian',
    email: 'records@agency.example.gov',
    phone: '+12135550100',
  },
  status: 'active',
};

export const servedEpochsExample = {
  epochs: [
    { epoch: 1, retiresAt: '2026-09-01T00:00:00Z' },
    { epoch: 2, retiresAt: null },
  ],
};

export const tokenizationRequestExample = {
  epoch: 1,
  blindedElements: [
    'h454ttLZ3wNeh1x1A5V4-_p1J7kLU2aMDD5ZRq5D9nw',
    '87nJ36TfFqvRVhaM8I2tYfIC23GuxwpIY8uBzYIZDVQ',
  ],
};

export const tokenizationResponseExample = {
  epoch: 1,
  shareIndex: 1,
  evaluatedElements: [
    'T0BRfNpGkL1QWwZx7ksVaByUBP93XbQuGOv78jzzFIc',
    'AIIlBnynRCq6imC4TTDei0fg7hU7q-n5xSwcx6WLSWU',
  ],
  proof: 'z5idddEZtfw-4Rpb7zr0GB3Y9a4h3N0tPNYHpXKkKIE3oEfI6A2bUVSx4GJ-gW2GhLBN5P9gPfnGCKzQxObCwA',
};

export const API_EXAMPLES: Record<keyof typeof API_EXAMPLE_SOURCES, unknown> = {
  checkRequest: checkRequestExample,
  intakeBatch: intakeBatchExample,
  intakeReceipt: intakeReceiptExample,
  mailboxPage: mailboxPageExample,
  mailboxAck: mailboxAckExample,
  certificationSubmission: certificationSubmissionExample,
  certificationReceipt: certificationReceiptExample,
  registryEntry: registryEntryExample,
  servedEpochs: servedEpochsExample,
  tokenizationRequest: tokenizationRequestExample,
  tokenizationResponse: tokenizationResponseExample,
};
