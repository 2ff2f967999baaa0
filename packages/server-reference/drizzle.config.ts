import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a migration into ./drizzle after a change to src/db/schema;
// the server applies the folder at start (see src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
