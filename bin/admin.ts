import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AccountService } from '../api/usecases/accounts';
import { ConfigError, loadConfig } from '../config/config';
import { Database } from '../db/database';
import { API_KEY_ROLES, type ApiKeyRole } from '../entities/ApiKey';
import { runMain } from './run-main';

const USAGE = `usage:
  npm run admin -- create-account --name NAME --email EMAIL [--balance-cents C]
  npm run admin -- create-key --account ACCOUNT_ID --role admin|support`;

/** Operator commands; each prints one JSON object on stdout. */
async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      'balance-cents': { type: 'string', default: '0' },
      account: { type: 'string' },
      role: { type: 'string' },
    },
  });
  const need = (key: keyof typeof values): string => {
    const value = values[key];
    if (typeof value !== 'string' || !value)
      throw new ConfigError(`admin ${command}`, `--${key} is required\n${USAGE}`, undefined);
    return value;
  };
  if (command !== 'create-account' && command !== 'create-key')
    throw new ConfigError('admin', USAGE, command);

  const db = await Database.open(loadConfig().database, { migrate: true });
  try {
    const accounts = new AccountService(db);
    if (command === 'create-account') {
      const balance = need('balance-cents');
      if (!/^\d+$/.test(balance))
        throw new ConfigError('admin create-account', '--balance-cents expects a whole number', balance);
      console.log(
        JSON.stringify(
          await accounts.createAccount({
            name: need('name'),
            ownerEmail: need('email'),
            balanceCents: Number(balance),
          }),
        ),
      );
    } else {
      const role = need('role');
      if (!API_KEY_ROLES.includes(role as ApiKeyRole))
        throw new ConfigError('admin create-key', '--role expects admin or support', role);
      const key = await accounts.createApiKey(need('account'), role as ApiKeyRole);
      console.log(JSON.stringify({ accountId: values.account, keyId: key.id, role: key.role, key: key.key }));
    }
  } finally {
    await db.close();
  }
}

if (require.main === module) runMain(main);
