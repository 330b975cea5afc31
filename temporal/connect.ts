import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config/config';

export class TemporalUnavailableError extends Error {
  constructor(address: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(
      `TEMPORAL_ADDRESS: cannot reach Temporal at ${address} (${reason}). Start it with \`npm run temporal\`.`,
    );
    this.name = 'TemporalUnavailableError';
  }
}

export async function connectClient(temporal: Config['temporal']): Promise<Client> {
  try {
    const connection = await Connection.connect({ address: temporal.address, connectTimeout: '5s' });
    return new Client({ connection, namespace: temporal.namespace });
  } catch (err) {
    throw new TemporalUnavailableError(temporal.address, err);
  }
}

export async function connectWorker(temporal: Config['temporal']): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: temporal.address });
  } catch (err) {
    throw new TemporalUnavailableError(temporal.address, err);
  }
}
