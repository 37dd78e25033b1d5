// drizzle-kit configuration for the keyholder's database (docs/storage.md, docs/keyholder.md).
// Regenerate after a schema change with:
//   npx drizzle-kit generate --config hub/keyholder/drizzle.config.ts --name <change>
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './hub/keyholder/schema.ts',
  out: './hub/keyholder/migrations',
});
