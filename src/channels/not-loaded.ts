// SPDX-License-Identifier: EUPL-1.2
/**
 * The channel of an account whose credentials this process did not load (the dashboard and the operator
 * commands start without them): no SDK client is built, and every call that would reach the network
 * refuses. Its account keys stand for nothing: the account's real keys (an X key is a hash of its token)
 * are read from what the workers recorded (ChannelStates.recordAccount) when a status needs them.
 */
import { ChannelError, type AccountIdentity, type AccountReport, type Channel, type PostOutcome } from './channel.ts';
import type { NetworkName } from '../domain/offer.ts';

export const NOT_LOADED_MESSAGE = 'credentials not loaded in this process';

export class CredentialsNotLoadedChannel implements Channel {
  readonly accountKey: string;
  readonly appKey: string;
  constructor(readonly network: NetworkName, publisher: string) {
    this.accountKey = `not-loaded-${publisher}-${network}`;
    this.appKey = this.accountKey;
  }

  private refuse(): never {
    throw new ChannelError('permanent', `${this.network}: ${NOT_LOADED_MESSAGE}`);
  }

  async verify(): Promise<AccountIdentity> { return this.refuse(); }
  async inspect(): Promise<AccountReport> { return this.refuse(); }
  async post(): Promise<PostOutcome> { return this.refuse(); }
  async edit(): Promise<boolean> { return this.refuse(); }
  async delete(): Promise<void> { return this.refuse(); }
  async findPostByUrl(): Promise<PostOutcome | null> { return this.refuse(); }
}
