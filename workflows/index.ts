// The worker's workflow bundle entry point.
export { campaignWorkflow } from './campaign/workflow';
