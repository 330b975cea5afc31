import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';
// The route modules register their paths on import: the app module pulls them all in.
import '../api/app';
import { openApiDocument } from '../api/openapi';
import { runMain } from '../bin/run-main';

const SCHEMA_FILE = path.join(__dirname, '..', 'console', 'src', 'api', 'schema.d.ts');

const HEADER = `/**
 * Generated from Herald's openapi.json by \`npm run console:types\`: do not edit by hand.
 * test/web-console-serving.test.ts fails when this file no longer matches the API.
 */
`;

/** The console's API types, as generated from the API's OpenAPI document right now. */
async function consoleTypes(): Promise<string> {
  const document = openApiDocument('http://localhost:3000');
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0]);
  // Formatted as `npm run format` would, so the committed file passes `prettier --check`.
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(HEADER + astToString(ast), { ...options, filepath: SCHEMA_FILE });
}

/**
 * `npm run console:types` rewrites console/src/api/schema.d.ts; with `--stdout` it prints what
 * it would write (the contract test compares the two).
 */
runMain(async () => {
  const types = await consoleTypes();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(types);
    return;
  }
  fs.writeFileSync(SCHEMA_FILE, types);
  console.log(`console: wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
});
