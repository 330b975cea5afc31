import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output to what matters: the SDK's INFO lines (worker state changes) are noise here.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this jest worker process
}
