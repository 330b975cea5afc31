/**
 * A stack's environment for webhook tests: receivers on loopback over http allowed (development
 * and tests only), and retry timings in seconds short enough for a test to wait them out.
 */
export function webhookEnv(retry: {
  firstSeconds: number;
  maxSeconds: number;
  periodSeconds: number;
  timeoutSeconds?: number;
}): Record<string, string> {
  return {
    ALLOW_HTTP_WEBHOOKS: 'true',
    WEBHOOK_RETRY_FIRST_SECONDS: String(retry.firstSeconds),
    WEBHOOK_RETRY_MAX_SECONDS: String(retry.maxSeconds),
    WEBHOOK_RETRY_PERIOD_SECONDS: String(retry.periodSeconds),
    ...(retry.timeoutSeconds === undefined ? {} : { WEBHOOK_TIMEOUT_SECONDS: String(retry.timeoutSeconds) }),
  };
}
