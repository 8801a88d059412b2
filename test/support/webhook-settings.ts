/**
 * The settings under which a test sees webhooks delivered: the job queue on and polled every half
 * second, retries after `retryDelaySeconds`, and the test's receiver on loopback allowed (webhooks may
 * reach a loopback address only when it is allow-listed).
 */
export function webhookDeliverySettings(retryDelaySeconds = 1): Record<string, string> {
  return {
    JOBS_ENABLED: 'true',
    JOBS_POLL_INTERVAL_MS: '500',
    WEBHOOK_RETRY_DELAY_SECONDS: String(retryDelaySeconds),
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  };
}
