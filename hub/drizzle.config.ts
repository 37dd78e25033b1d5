// drizzle-kit configuration for the hub's schema (docs/storage.md, docs/hub.md).
// After changing a *.table.ts file: npx drizzle-kit generate --config hub/drizzle.config.ts --name <change>
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './hub/schema.ts',
  out: './hub/migrations',
});
