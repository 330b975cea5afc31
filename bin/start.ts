import { main as api } from './api';
import { main as worker } from '../worker';
import { runMain } from './run-main';

/** `npm start`: the API and a worker in one process (run `npm run worker` elsewhere to scale out). */
runMain(async () => {
  await Promise.all([api(), worker()]);
  process.exit(0); // as worker.ts: an abandoned provider call must not hold the process
});
