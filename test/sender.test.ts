import type { Account } from '../entities/Account';
import { senderOf, senderProblem } from '../sending/sender';
import { SecretBox } from '../security/secrets';

const secrets = SecretBox.fromConfig({ secretKey: '22'.repeat(32), dataDir: '/nonexistent' });
const platform = { serverToken: 'platform-token', from: 'herald@platform.test' };
const account = (fields: Partial<Account>): Account =>
  ({ name: 'Acme', emailTokenSealed: null, fromEmail: null, ...fields }) as Account;

describe("The sender rule: who an account's email is from, and whether it can send", () => {
  it('when the account has no sender of its own, then it sends with the platform token and address, and is ready', () => {
    const sender = senderOf(secrets, platform, account({}), null);
    expect(sender).toEqual({
      credentials: { serverToken: 'platform-token' },
      from: '"Acme" <herald@platform.test>',
      address: 'herald@platform.test',
      own: false,
    });
    expect(senderProblem(account({}))).toBeNull();
  });

  it("when the account has its own token and address, then both are used, under the campaign's sender name made safe", () => {
    const own = account({ emailTokenSealed: secrets.seal('own-token'), fromEmail: 'events@acme.test' });
    expect(senderOf(secrets, platform, own, { emailFromName: 'Acme "Events" <x@evil.test>' })).toEqual({
      credentials: { serverToken: 'own-token' },
      from: '"Acme Events x@evil.test" <events@acme.test>',
      address: 'events@acme.test',
      own: true,
    });
    expect(senderProblem(own)).toBeNull();
  });

  it("when the account has a token but no from address, then it is not ready, saying to set fromEmail (the platform's address is not its server's)", () => {
    const tokenOnly = account({ emailTokenSealed: secrets.seal('own-token') });
    expect(senderProblem(tokenOnly)).toMatch(
      /no from address: set fromEmail with PUT \/v1\/account\/email-provider/,
    );
    expect(senderOf(secrets, platform, tokenOnly, null).address).toBe('');
  });
});
