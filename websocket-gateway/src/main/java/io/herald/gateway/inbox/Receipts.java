package io.herald.gateway.inbox;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.gateway.inbox.InboxCursors.Cursor;
import io.herald.gateway.inbox.InboxCursors.Move;
import io.herald.gateway.inbox.StatusReporter.Traced;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records what became of notifications after they reached the inbox: that they reached a
 * device of their user ({@code ack}) and that the user read them ({@code read}). Both are
 * cumulative cursors per user: moving one from {@code before} to {@code upTo} claims the
 * notifications in between, and an {@code acknowledged} or a {@code read} status is
 * reported for each of them that the inbox still keeps. Devices that mark the same seqs
 * at once thus report each notification once.
 *
 * <p>
 * When the broker does not take the statuses, the two differ. An ack is a device's
 * receipt: its cursor is moved back and the ack fails, so the client's next ack reports
 * them. A read is the user's own action, which every device has already been told of: the
 * read cursor stays where the user put it, and its {@code read} statuses are best effort,
 * counted in {@code herald.gateway.inbox.reads.unreported} and logged at WARN once per
 * outage, never reported later. A crash between a move and its report loses those
 * statuses as well (never a notification).
 */
@Component
public class Receipts {

	/** The name of the span of one ack and its statuses. */
	static final String ACK_SPAN = "herald.inbox.acknowledge";

	/** The name of the span of one read mark and its statuses. */
	static final String READ_SPAN = "herald.inbox.read";

	private static final Logger logger = LoggerFactory.getLogger(Receipts.class);

	private final Inbox inbox;

	private final InboxCursors cursors;

	private final StatusReporter statuses;

	private final InboxProperties properties;

	private final Clock clock;

	private final RecordTracing tracing;

	private final InboxMetrics metrics;

	private final Counter unreported;

	/**
	 * Whether the last read's statuses were reported: a failure after a success is
	 * logged.
	 */
	private final AtomicBoolean reporting = new AtomicBoolean(true);

	Receipts(Inbox inbox, InboxCursors cursors, StatusReporter statuses, InboxProperties properties, Clock clock,
			RecordTracing tracing, InboxMetrics metrics, MeterRegistry meters) {
		this.unreported = Counter.builder("herald.gateway.inbox.reads.unreported")
			.description("Read statuses not reported because the broker did not take them; the reads stand")
			.register(meters);
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
	 * @throws RuntimeException when the status records could not be written (the cursor
	 * is back)
	 */
	public long acknowledge(String tenant, String userId, long upTo) {
		return mark(tenant, userId, Cursor.ACK, upTo).after();
	}

	/**
	 * Marks every seq up to {@code upTo} (at most the inbox's last seq) read; every
	 * connection of the user is told the new unread count. The read stands once the
	 * cursor moved, whether or not its {@code read} statuses could be reported.
	 * @return what the move did: the read cursor and the unread count afterwards
	 * @throws RuntimeException when the cursor could not be moved (Redis down)
	 */
	public Move read(String tenant, String userId, long upTo) {
		return mark(tenant, userId, Cursor.READ, upTo);
	}

	private Move mark(String tenant, String userId, Cursor cursor, long upTo) {
		Move claim = this.cursors.advance(tenant, userId, cursor, upTo);
		if (!claim.moved()) {
			return claim;
		}
		DeliveryState state = (cursor == Cursor.ACK) ? DeliveryState.ACKNOWLEDGED : DeliveryState.READ;
		int limit = (int) Math.min(claim.after() - claim.before(), this.properties.maxLength());
		// A client's mark starts a trace of its own: the inbox keeps no context of its
		// notifications.
		Span span = this.tracing.start((cursor == Cursor.ACK) ? ACK_SPAN : READ_SPAN, (String) null)
			.tag("herald.seq", claim.after());
		@Nullable List<InboxEntry> entries = null;
		try {
			entries = this.inbox.since(tenant, userId, claim.before(), limit)
				.stream()
				.filter((entry) -> entry.seq() <= claim.after())
				.toList();
			Instant now = this.clock.instant();
			this.statuses.report(
					entries.stream()
						.map((entry) -> new Traced(new StatusReported(StatusReported.SCHEMA_VERSION, tenant,
								entry.notification().eventId(), userId, Channel.INAPP, null, state, null, null, null,
								entry.seq(), now), span))
						.toList());
			entries.forEach((entry) -> this.metrics.marked(tenant, entry.notification(), state));
			if (cursor == Cursor.READ && !this.reporting.getAndSet(true)) {
				logger.info("Read statuses are reported again");
			}
		}
		catch (RuntimeException ex) {
			span.error(ex);
			if (cursor == Cursor.ACK) {
				this.cursors.restore(tenant, userId, cursor, claim);
				throw ex;
			}
			// The user read them: the cursor stays, and the statuses are lost.
			unreported(tenant, userId, (entries != null) ? entries.size() : limit, ex);
		}
		finally {
			span.end();
		}
		return claim;
	}

	/**
	 * Counts read statuses that could not be reported; when the inbox could not be read
	 * either, the seqs the cursor passed stand for them. The first failure after a
	 * success is logged.
	 */
	private void unreported(String tenant, String userId, int count, RuntimeException ex) {
		this.unreported.increment(count);
		if (this.reporting.getAndSet(false)) {
			logger.warn("Could not report {} read statuses of {}/{}; the read stands and the statuses are lost. "
					+ "Until read statuses are reported again, herald.gateway.inbox.reads.unreported counts the lost "
					+ "ones without a log line: {}", count, tenant, userId, ex.toString());
		}
	}

}
