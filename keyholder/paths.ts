import { fileURLToPath } from 'node:url';

/** The keyholder's drizzle-kit output folder, applied by openDatabase at start-up. */
export const KEYHOLDER_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
