import { Account } from './Account';
import { ApiKey } from './ApiKey';
import { AuditEntry } from './AuditEntry';
import { Campaign } from './Campaign';
import { Contact } from './Contact';
import { IdempotencyKey } from './IdempotencyKey';
import { Invite } from './Invite';
import { LedgerEntry } from './LedgerEntry';
import { Notification } from './Notification';
import { DevInboxEmail } from './DevInboxEmail';
import { SendDemand } from './SendDemand';
import { SendGrant } from './SendGrant';
import { Suppression } from './Suppression';
import { AnalyticsCount } from './AnalyticsCount';
import { WebhookAttempt } from './WebhookAttempt';
import { WebhookDelivery } from './WebhookDelivery';
import { WebhookEndpoint } from './WebhookEndpoint';
import { WebhookEvent } from './WebhookEvent';

export {
  AnalyticsCount,
  Account,
  ApiKey,
  AuditEntry,
  Campaign,
  Contact,
  IdempotencyKey,
  Invite,
  LedgerEntry,
  Notification,
  DevInboxEmail,
  SendDemand,
  SendGrant,
  Suppression,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
};
export const entities = [
  AnalyticsCount,
  Account,
  ApiKey,
  AuditEntry,
  Campaign,
  Contact,
  IdempotencyKey,
  Invite,
  LedgerEntry,
  Notification,
  DevInboxEmail,
  SendDemand,
  SendGrant,
  Suppression,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
];
