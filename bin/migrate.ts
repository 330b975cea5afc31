import 'reflect-metadata';
import { loadConfig, redactUrl } from '../config/config';
import { Database } from '../db/database';
import { runMain } from './run-main';

/** `npm run migrate`: applies pending schema migrations to DATABASE_URL (or the embedded default). */
async function main(): Promise<void> {
  const config = loadConfig();
  const target = config.database.type === 'mysql' ? redactUrl(config.database.url) : config.database.path;
  const db = await Database.open(config.database);
  try {
    const ran = await db.migrate();
    console.log(
      ran.length ? `migrate: applied ${ran.join(', ')} to ${target}` : `migrate: ${target} is up to date`,
    );
  } finally {
    await db.close();
  }
}

if (require.main === module) runMain(main);
