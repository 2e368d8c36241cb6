/**
 * The fleet server's clock as seen from one reader, so that values already in the bucket
 * when a reader starts are aged by server time alone (docs/fleet.md, "Truth under
 * faults"). A KV value's timestamp is the server's; comparing it with the reader's own
 * clock misjudges every host by however far the two clocks are apart (a reader 30 s
 * ahead would call a host that wrote 1 s ago offline).
 *
 * Source of the server's "now": a JetStream consumer's `created` field (RFC 3339, server
 * clock), which nats-server ≥ 2.9 sets when it creates the consumer (the `ts` field of
 * newer API replies is 2.10+). The reader notes its own clock before the request and
 * after the reply and takes the midpoint as the moment the server stamped `created`, so
 * the estimate is off by at most half a round trip (well under 1 ms on a LAN, against a
 * 10 s liveness window).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../types.js';
import { createPushConsumer } from './bucket-scan.js';

/**
 * Server clock minus reader clock (ms) from a consumer's `created` time (`serverIso`,
 * RFC 3339) and the reader-clock times (epoch ms) the request was sent and the reply
 * arrived. 0 when `serverIso` is missing or unreadable (the reader's clock is then taken
 * as the server's, which is what readers did before).
 */
export function serverOffsetMs(
  serverIso: string | undefined,
  sentAt: number,
  receivedAt: number,
): number {
  const server = serverIso === undefined ? NaN : Date.parse(serverIso);
  if (!Number.isFinite(server)) return 0;
  return Math.round(server - (sentAt + receivedAt) / 2);
}

/**
 * Ask the server for its time through a throw-away consumer on KV bucket `bucket`
 * (filtered to `clock`, which is never a fleet key, delivering to an unused `inbox`; the
 * server removes it 2 s later). Resolves with {@link serverOffsetMs}; resolves 0 when the
 * server refuses or does not answer within `timeoutMs` (a reader without the permission
 * to create consumers keeps working on its own clock). Never rejects.
 */
export async function probeServerOffset(
  nc: NatsConnection,
  bucket: string,
  inbox: string,
  clock: Clock,
  timeoutMs = 2_000,
): Promise<number> {
  const sentAt = clock.now();
  try {
    const filter = `$KV.${bucket}.clock`;
    const reply = await createPushConsumer(
      nc,
      bucket,
      { inbox, filter, deliverPolicy: 'all' },
      timeoutMs,
    );
    return serverOffsetMs(reply.created, sentAt, clock.now());
  } catch {
    return 0;
  }
}
