import { Foundation1763683200000 } from './1763683200000-Foundation';
import { Money1763769600000 } from './1763769600000-Money';
import { Delivery1763856000000 } from './1763856000000-Delivery';
import { ExpiryGrace1764028800000 } from './1764028800000-ExpiryGrace';
import { CalendarVersion1764115200000 } from './1764115200000-CalendarVersion';
import { CalendarCancel1764201600000 } from './1764201600000-CalendarCancel';
import { TokenExact1764201640000 } from './1764201640000-TokenExact';
import { ApiKeyNameAndLastUse1764202000000 } from './1764202000000-ApiKeyNameAndLastUse';
import { ForgetStoredApiKeys1764202000001 } from './1764202000001-ForgetStoredApiKeys';
import { ProviderMessageIndex1764203300000 } from './1764203300000-ProviderMessageIndex';
import { SendLimits1764300000000 } from './1764300000000-SendLimits';
import { CampaignWaiting1764400000000 } from './1764400000000-CampaignWaiting';
import { SendingPolicy1764500000000 } from './1764500000000-SendingPolicy';
import { WebhookEvents1764600000000 } from './1764600000000-WebhookEvents';
import { LandingAndEmailMatch1764700000000 } from './1764700000000-LandingAndEmailMatch';
import { WebhookEndpoints1764800000000 } from './1764800000000-WebhookEndpoints';
import { IdempotencyExpiry1764900000000 } from './1764900000000-IdempotencyExpiry';
import { OneHold1765000000000 } from './1765000000000-OneHold';
import { Unsubscribe1765100000000 } from './1765100000000-Unsubscribe';
import { DeliverabilityGuards1765200000000 } from './1765200000000-DeliverabilityGuards';
import { InvitePhone1765300000000 } from './1765300000000-InvitePhone';
import { InviteDefaults1765410000000 } from './1765410000000-InviteDefaults';
import { WebhookAttempts1765460000000 } from './1765460000000-WebhookAttempts';
import { WebhookConcurrency1765470000000 } from './1765470000000-WebhookConcurrency';
import { Analytics1765500000000 } from './1765500000000-Analytics';

/** In order. Listed explicitly so the same code runs under tsx, ts-jest and a bundle. */
export const migrations = [
  Foundation1763683200000,
  Money1763769600000,
  Delivery1763856000000,
  ExpiryGrace1764028800000,
  CalendarVersion1764115200000,
  CalendarCancel1764201600000,
  TokenExact1764201640000,
  ApiKeyNameAndLastUse1764202000000,
  ForgetStoredApiKeys1764202000001,
  ProviderMessageIndex1764203300000,
  SendLimits1764300000000,
  CampaignWaiting1764400000000,
  SendingPolicy1764500000000,
  WebhookEvents1764600000000,
  LandingAndEmailMatch1764700000000,
  WebhookEndpoints1764800000000,
  IdempotencyExpiry1764900000000,
  OneHold1765000000000,
  Unsubscribe1765100000000,
  DeliverabilityGuards1765200000000,
  InvitePhone1765300000000,
  InviteDefaults1765410000000,
  WebhookAttempts1765460000000,
  WebhookConcurrency1765470000000,
  Analytics1765500000000,
];
