/**
 * Letters that have no Unicode decomposition to A–Z and that name normalization folds
 * explicitly (docs/protocol.md §2.2, table 2-1). The table is complete: after NFKD and
 * removal of combining marks, a letter that is neither ASCII nor listed here is rejected
 * with NAME_UNFOLDABLE_LETTER. Non-Latin scripts (Cyrillic, Greek, CJK, …) are deliberately
 * absent: transliteration is language-dependent and ambiguous, so a person's Latin-script
 * spelling must come from their documents, not from this protocol.
 *
 * Letters that NFKD already reduces (Å, Ñ, Ç, Ő, Ș, Ơ, Ư, İ, Ĳ, ǅ, Ŀ, ſ, ŉ, …) are not
 * listed: listing them would be dead entries that an implementation could get wrong.
 */

export interface FoldingEntry {
  readonly codePoint: number;
  readonly letter: string;
  readonly folded: string;
  readonly why: string;
}

const entry = (codePoint: number, folded: string, why: string): FoldingEntry => ({
  codePoint,
  letter: String.fromCodePoint(codePoint),
  folded,
  why,
});

export const LETTER_FOLDING_TABLE: readonly FoldingEntry[] = [
  entry(0x00c6, 'AE', 'ligature (Danish, Norwegian, Icelandic)'),
  entry(0x00e6, 'AE', 'ligature (Danish, Norwegian, Icelandic)'),
  entry(0x00d0, 'D', 'eth (Icelandic, Faroese)'),
  entry(0x00f0, 'D', 'eth (Icelandic, Faroese)'),
  entry(0x00d8, 'O', 'O with stroke (Danish, Norwegian, Faroese)'),
  entry(0x00f8, 'O', 'O with stroke (Danish, Norwegian, Faroese)'),
  entry(0x00de, 'TH', 'thorn (Icelandic)'),
  entry(0x00fe, 'TH', 'thorn (Icelandic)'),
  entry(0x00df, 'SS', 'sharp s (German)'),
  entry(0x1e9e, 'SS', 'capital sharp s (German)'),
  entry(0x0110, 'D', 'D with stroke (Croatian, Serbian, Bosnian, Vietnamese, Sami)'),
  entry(0x0111, 'D', 'D with stroke (Croatian, Serbian, Bosnian, Vietnamese, Sami)'),
  entry(0x0126, 'H', 'H with stroke (Maltese)'),
  entry(0x0127, 'H', 'H with stroke (Maltese)'),
  entry(0x0131, 'I', 'dotless i (Turkish, Azerbaijani)'),
  entry(0x0237, 'J', 'dotless j'),
  entry(0x0138, 'Q', 'kra (Greenlandic; written q since the 1973 spelling reform)'),
  entry(0x0141, 'L', 'L with stroke (Polish, Sorbian)'),
  entry(0x0142, 'L', 'L with stroke (Polish, Sorbian)'),
  entry(0x014a, 'N', 'eng (Sami)'),
  entry(0x014b, 'N', 'eng (Sami)'),
  entry(0x0152, 'OE', 'ligature (French)'),
  entry(0x0153, 'OE', 'ligature (French)'),
  entry(0x0166, 'T', 'T with stroke (Sami)'),
  entry(0x0167, 'T', 'T with stroke (Sami)'),
  entry(0x0181, 'B', 'B with hook (Hausa, Fula)'),
  entry(0x0253, 'B', 'B with hook (Hausa, Fula)'),
  entry(0x0186, 'O', 'open O (Akan, Ewe)'),
  entry(0x0254, 'O', 'open O (Akan, Ewe)'),
  entry(0x0189, 'D', 'African D (Ewe); its capital looks like Đ'),
  entry(0x0256, 'D', 'African D (Ewe)'),
  entry(0x018a, 'D', 'D with hook (Hausa, Fula)'),
  entry(0x0257, 'D', 'D with hook (Hausa, Fula)'),
  entry(0x018f, 'A', 'schwa (Azerbaijani; Əliyev is spelled Aliyev in passports)'),
  entry(0x0259, 'A', 'schwa (Azerbaijani)'),
  entry(0x0190, 'E', 'open E (Akan, Ewe)'),
  entry(0x025b, 'E', 'open E (Akan, Ewe)'),
  entry(0x0198, 'K', 'K with hook (Hausa)'),
  entry(0x0199, 'K', 'K with hook (Hausa)'),
  entry(0x01b3, 'Y', 'Y with hook (Hausa, Fula)'),
  entry(0x01b4, 'Y', 'Y with hook (Hausa, Fula)'),
];

const FOLDING: ReadonlyMap<number, string> = new Map(
  LETTER_FOLDING_TABLE.map((e) => [e.codePoint, e.folded]),
);

/** The A–Z spelling of a letter from table 2-1, or undefined when the table has none. */
export function foldLetter(codePoint: number): string | undefined {
  return FOLDING.get(codePoint);
}
