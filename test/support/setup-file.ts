import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { configureLogs } from '../../ops/log';

// Keep test output to what matters: the SDK's INFO lines (worker state changes) are noise here.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this jest worker process
}

// Herald's JSON lines (a request log per request) too: warnings and errors only, unless a test asks.
configureLogs({ level: 'warn' });

// Tests act the moment an invite is sent, faster than any person: the prefetch rule (a touch
// within seconds of delivery is a machine's) is off unless a test turns it on through its stack.
process.env.PREFETCH_WINDOW_SECONDS ??= '0';
