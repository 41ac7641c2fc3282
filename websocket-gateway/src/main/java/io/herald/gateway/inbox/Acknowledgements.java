package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.gateway.inbox.InboxCursors.Cursor;
import io.herald.gateway.inbox.InboxCursors.Move;
import io.herald.gateway.inbox.StatusReporter.Traced;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Records that notifications reached a device of their user ({@code ack}). Acks are cumulative and
 * per user: moving the user's acknowledged cursor from {@code before} to {@code upTo} claims the
 * notifications in between, and an {@code acknowledged} status is reported for each of them that
 * the inbox still keeps. Devices that ack the same seqs at once thus report each notification
 * once. When the broker does not take the statuses, the claim is undone and the ack fails, so
 * the client's next ack reports them; a crash between claim and report loses those statuses
 * (never a notification).
 */
@Component
public class Acknowledgements {

	/** The name of the span of one ack and its statuses. */
	static final String ACK_SPAN = "herald.inbox.acknowledge";

	private final Inbox inbox;

	private final InboxCursors cursors;

	private final StatusReporter statuses;

	private final InboxProperties properties;

	private final Clock clock;

	private final RecordTracing tracing;

	private final InboxMetrics metrics;

	Acknowledgements(Inbox inbox, InboxCursors cursors, StatusReporter statuses, InboxProperties properties,
			Clock clock, RecordTracing tracing, InboxMetrics metrics) {
		this.tracing = tracing;
		this.metrics = metrics;
		this.inbox = inbox;
		this.cursors = cursors;
		this.statuses = statuses;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Acknowledges every seq up to {@code upTo} (at most the inbox's last seq).
	 * @return the user's acknowledged cursor afterwards
	 * @throws RuntimeException when the status records could not be written (the cursor is back)
	 */
	public long acknowledge(String tenant, String userId, long upTo) {
		Move claim = this.cursors.advance(tenant, userId, Cursor.ACK, upTo);
		if (!claim.moved()) {
			return claim.after();
		}
		int limit = (int) Math.min(claim.after() - claim.before(), this.properties.maxLength());
		// A client's ack starts a trace of its own: the inbox keeps no context of its notifications.
		Span span = this.tracing.start(ACK_SPAN, (String) null).tag("herald.seq", claim.after());
		try {
			List<InboxEntry> entries = this.inbox.since(tenant, userId, claim.before(), limit)
				.stream()
				.filter((entry) -> entry.seq() <= claim.after())
				.toList();
			Instant now = this.clock.instant();
			this.statuses.report(entries.stream()
				.map((entry) -> new Traced(new StatusReported(StatusReported.SCHEMA_VERSION, tenant,
						entry.notification().eventId(), userId, Channel.INAPP, null, DeliveryState.ACKNOWLEDGED, null,
						null, null, entry.seq(), now), span))
				.toList());
			entries.forEach((entry) -> this.metrics.acknowledged(tenant, entry.notification()));
		}
		catch (RuntimeException ex) {
			span.error(ex);
			this.cursors.restore(tenant, userId, Cursor.ACK, claim);
			throw ex;
		}
		finally {
			span.end();
		}
		return claim.after();
	}

}
