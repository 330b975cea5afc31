import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Ids and status only: never PII in search attributes. Registered by `npm run temporal`. */
export const CampaignIdKey = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const AccountIdKey = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const CampaignStatusKey = defineSearchAttributeKey('CampaignStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [CampaignIdKey, AccountIdKey, CampaignStatusKey];
