import { CloseCode } from 'graphql-ws';

/**
 * The close codes a subscription socket ends with, beyond a normal close. graphql-ws's client
 * retries 1013 by itself (the app resubscribes with its last cursor and misses nothing) and
 * gives up on 4401; 4403 it retries, which fits a credential whose scopes may change.
 */
export const CLOSE = Object.freeze({
  /** No credential, or one that is not valid. */
  unauthorized: CloseCode.Unauthorized,
  /** A valid credential that may read no resource. */
  forbidden: CloseCode.Forbidden,
  /** A slow consumer (SUBSCRIPTION_MAX_QUEUED_CHANGES, SUBSCRIPTION_MAX_BUFFERED_BYTES), or the credential could not be checked right now. */
  tryAgainLater: 1013,
});

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason, 'utf8') > 123) reason = `${reason.slice(0, reason.length - 2)}…`;
  return reason;
}
