package io.herald.gateway.inbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Users' in-app inboxes.
 *
 * @param maxLength the most notifications an inbox keeps; older ones are trimmed (a
 * client resuming from before the oldest kept one gets {@code reset})
 * @param retention how long a notification stays in the inbox (older ones are trimmed,
 * and an inbox without appends for this long expires as a whole, within
 * {@link #ttlRefreshSeconds()} after)
 * @param counterTtl how long a user's seq counter and read and ack cursors live after the
 * last append or cursor move; at least {@code retention}, so that a counter outlives
 * every entry it numbered (then seqs start at 1 again, and a client resuming a higher seq
 * gets {@code reset})
 * @param priorityConsumers listener threads on the priority lane
 * @param bulkConsumers listener threads on the bulk lane: a separate container, so bulk
 * never delays priority
 * @param statusTimeout how long the writer waits for the broker to acknowledge a batch's
 * status records before it fails the batch (which is then retried)
 * @param syncReplicas how many Redis replicas must have a batch's appends before any of
 * them is shown to a client or its lane offset committed (Redis {@code WAIT},
 * docs/adr/021); 0 waits for none. With 1 and one replica, a failover to that replica
 * loses no notification a client saw and hands out no seq twice; while no replica
 * answers, in-app delivery waits
 * @param syncTimeout how long a batch waits for {@link #syncReplicas()} before it fails
 * (and is retried)
 * @param dedupWindow how long the id of a notification trimmed by {@code maxLength} is
 * still recognized, so that a lane delivering it again (a batch read again after a crash
 * or a rebalance) appends nothing twice even after a burst longer than the inbox; ids of
 * kept notifications are recognized as long as they are kept
 */
@Validated
@ConfigurationProperties("herald.gateway.inbox")
public record InboxProperties(@DefaultValue("1000") @Min(1) int maxLength,
		@DefaultValue("30d") @NotNull Duration retention, @DefaultValue("60d") @NotNull Duration counterTtl,
		@DefaultValue("2") @Min(1) int priorityConsumers, @DefaultValue("2") @Min(1) int bulkConsumers,
		@DefaultValue("10s") @NotNull Duration statusTimeout, @DefaultValue("0") @Min(0) int syncReplicas,
		@DefaultValue("1s") @NotNull Duration syncTimeout, @DefaultValue("10m") @NotNull Duration dedupWindow) {

	public InboxProperties {
		if (syncTimeout != null && (syncTimeout.isNegative() || syncTimeout.isZero())) {
			throw new IllegalArgumentException(
					"herald.gateway.inbox.sync-timeout must be positive, but was " + syncTimeout);
		}
		if (retention != null && counterTtl != null && counterTtl.compareTo(retention) < 0) {
			throw new IllegalArgumentException("herald.gateway.inbox.counter-ttl (" + counterTtl
					+ ") must be at least herald.gateway.inbox.retention (" + retention + ")");
		}
	}

	/** {@link #retention()} in whole seconds, at least one. */
	long retentionSeconds() {
		return Math.max(1, this.retention.toSeconds());
	}

	/** {@link #dedupWindow()} in whole seconds, at least one. */
	long dedupWindowSeconds() {
		return Math.max(1, this.dedupWindow.toSeconds());
	}

	/** {@link #counterTtl()} in whole seconds, at least one. */
	long counterTtlSeconds() {
		return Math.max(1, this.counterTtl.toSeconds());
	}

	/**
	 * How often an inbox's TTLs are refreshed: at most once per this many seconds instead
	 * of at every append, which saves four {@code EXPIRE}s on most appends. Each TTL is
	 * set this much longer than its bound, so a key outlives its last append by at least
	 * the bound. An hour for a retention of a day or more; 0 (every append) for a shorter
	 * one.
	 */
	long ttlRefreshSeconds() {
		return (retentionSeconds() >= Duration.ofDays(1).toSeconds()) ? Duration.ofHours(1).toSeconds() : 0;
	}

}
