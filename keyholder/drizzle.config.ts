// drizzle-kit configuration for the keyholder's database (docs/storage.md, docs/keyholder.md).
// Regenerate after a schema change with:
//   npx drizzle-kit generate --config keyholder/drizzle.config.ts --name <change>
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './keyholder/schema.ts',
  out: './keyholder/migrations',
});
