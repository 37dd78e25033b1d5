/**
 * Name lists for synthetic officers: common given and family names of the communities US
 * police departments hire from, written as people write them — with diacritics (Ibáñez,
 * Nguyễn, Wiśniewski, Sørensen, Ó Súilleabháin), apostrophes, spaces and hyphens — so that
 * the demo exercises every normalization rule of docs/protocol.md §2.2. Combined at random,
 * they describe no real person.
 */

export const GIVEN_NAMES = [
  // English-speaking America
  'James',
  'Michael',
  'Robert',
  'David',
  'Jennifer',
  'Linda',
  'Sarah',
  'Karen',
  'Christopher',
  'Ashley',
  'Daniel',
  'Emily',
  // Spanish
  'José',
  'María',
  'Juan',
  'Guadalupe',
  'Luis',
  'Inés',
  'Jesús',
  'Ana Sofía',
  // Vietnamese
  'Minh',
  'Thảo',
  'Hùng',
  'Lan',
  'Tuấn',
  'Ngọc Anh',
  // Polish
  'Łukasz',
  'Agnieszka',
  'Krzysztof',
  'Małgorzata',
  'Wojciech',
  // Nordic
  'Søren',
  'Åsa',
  'Bjørn',
  'Ingrid',
  'Sigríður',
  // Irish
  'Siobhán',
  'Seán',
  'Niamh',
  'Pádraig',
  'Aoife',
  // Native American communities (given names in common use)
  'Dakota',
  'Winona',
  'Tallulah',
  'Shilah',
  // Others
  'Jean-Luc',
  'Zoë',
  "D'Andre",
  'Mohammed',
  'Ji-woo',
] as const;

export const FAMILY_NAMES_BY_ORIGIN = {
  // English-speaking America
  english: [
    'Smith',
    'Johnson',
    'Williams',
    'Brown',
    'Miller',
    'Davis',
    'Wilson',
    'Taylor',
    'Anderson',
    'Jackson',
    'Thompson',
    'Walker',
  ],
  // Spanish
  spanish: [
    'García',
    'Rodríguez',
    'Martínez',
    'Hernández',
    'López',
    'Peña',
    'Muñoz',
    'Núñez',
    'Castillo',
    'De la Cruz',
    'García-López',
  ],
  // Vietnamese
  vietnamese: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Võ', 'Đặng'],
  // Polish
  polish: [
    'Kowalski',
    'Wiśniewski',
    'Wójcik',
    'Kamiński',
    'Lewandowski',
    'Dąbrowski',
    'Łukasiewicz',
    'Żak',
  ],
  // Nordic
  nordic: ['Andersen', 'Sørensen', 'Johansson', 'Lindqvist', 'Åberg', 'Ødegaard', 'Þórsdóttir'],
  // Irish
  irish: ["O'Brien", 'Ó Súilleabháin', 'McCarthy', 'Ní Bhriain', 'Gallagher', 'MacNamara'],
  // Native American communities (Navajo, Lakota, Muscogee and other surnames in common use)
  nativeAmerican: [
    'Begay',
    'Yazzie',
    'Benally',
    'Tsosie',
    'Nez',
    'Harjo',
    'Manuelito',
    'Two Bulls',
    'Whitehorse',
    'Etsitty',
  ],
  // Others
  other: ['Müller', 'Lefèvre', 'Côté', 'Kim', 'Haddad', 'Papadopoulos'],
} as const satisfies Record<string, readonly string[]>;

export const FAMILY_NAMES: readonly string[] = Object.values(FAMILY_NAMES_BY_ORIGIN).flat();

/** Generational suffixes as HR systems write them. */
export const SYNTHETIC_SUFFIXES = ['Jr.', 'Sr.', 'II', 'III', 'Jr'] as const;
