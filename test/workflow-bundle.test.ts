import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleInChildProcess } from '../temporal/bundle';

describe('The workflow bundle a worker starts from', () => {
  it('when a worker has no prebuilt bundle, then webpack bundles the workflows in a child process (never in the worker) into a file it removes once read', async () => {
    const before = process.memoryUsage().heapUsed;
    const { codePath, remove } = await bundleInChildProcess();
    const code = fs.readFileSync(codePath, 'utf8');
    // The workflows the worker registers..
    expect(code).toContain('campaignWorkflow');
    expect(code).toContain('webhookEndpointWorkflow');
    expect(code.length).toBeGreaterThan(100_000);
    // Webpack ran elsewhere: this process never held its compilation (tens of MB).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 2 ** 20);
    remove();
    expect(fs.existsSync(path.dirname(codePath))).toBe(false);
  }, 60_000);
});
