// The worker's workflow bundle entry point.
export { campaignWorkflow } from './campaign/workflow';
export { webhookEndpointWorkflow } from './webhooks/workflow';
