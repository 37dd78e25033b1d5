// drizzle-kit configuration for the agency node's database (docs/storage.md).
// After changing node/store/*.table.ts:
//   npx drizzle-kit generate --config node/drizzle.config.ts --name <what-changed>
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './node/store/schema.ts',
  out: './node/migrations',
});
