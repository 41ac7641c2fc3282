package io.herald.delivery.dispatch;

import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.Send;
import io.herald.delivery.retry.DeliveryDecisions;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.support.metrics.Funnel;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Turns a batch of delivery requests into sends and decides what becomes of each request.
 *
 * <p>
 * Guarantees, for one batch:
 * <ul>
 * <li>Per user, requests are handled one after another in lane order (one thread per
 * user, from a pool of platform threads that grows as needed: no lane waits for another's
 * threads), different users at once, bounded by each provider's in-flight limit.</li>
 * <li>Every send is claimed in the send ledger before its provider is called; a send the
 * ledger knows as done is reported again, never sent again ({@link SendAttempts}).</li>
 * <li>A send whose event was cancelled ({@link CancelledEvents}, one {@code MGET} for the
 * batch) is reported {@code cancelled} and not sent, on its first try as on a retry,
 * unless the ledger knows it as done: a send a provider took stays {@code sent}.</li>
 * <li>A rejected send is final: {@code failed} with the reason, and for a dead device
 * token a {@code remove-device} command to routing, for an email address or phone number
 * refused for good a {@code suppress-address} command ({@link AddressSuppressions}).</li>
 * <li>A request with sends that failed for now goes to a retry topic (exponential backoff
 * with jitter) or, after the last try, to the dead-letter topic ({@code dead-lettered}).
 * A critical request that no provider of its channel could take is first tried on its
 * fallback channels, at once: it does not wait for the channel to recover.</li>
 * <li>Nothing is written here: the caller writes {@link Outputs} and waits for the broker
 * before committing the batch, so a crash at any point leads to the batch being read
 * again.</li>
 * </ul>
 *
 * <p>
 * Tracing: the handling of a request is a span ({@value #REQUEST_SPAN}), the child of the
 * request record's {@code traceparent}, tagged with its outcome; each send it tries is a
 * child span ({@value #SEND_SPAN}) tagged with channel, provider and outcome. A send's
 * statuses and commands carry its span's context; retries, dead letters and the request's
 * own statuses carry the request span's, so the next try continues the same trace.
 */
@Component
class Dispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	/** The name of the span of one request's handling. */
	static final String REQUEST_SPAN = "herald.delivery";

	/** The name of the span of one send of a request, through its channel's providers. */
	static final String SEND_SPAN = "herald.delivery.send";

	private final ProviderChains chains;

	private final SendAttempts attempts;

	private final DeliveryDecisions decisions;

	private final DispatchMetrics metrics;

	private final Clock clock;

	private final RecordTracing tracing;

	private final CancelledEvents cancelled;

	/**
	 * One per user of a batch at a time; see {@link Provider#blockingCalls(String)} for
	 * why not virtual.
	 */
	private final ExecutorService threads = Provider.blockingCalls("dispatch");

	Dispatcher(ProviderChains chains, SendAttempts attempts, DeliveryDecisions decisions, DispatchMetrics metrics,
			Clock clock, RecordTracing tracing, CancelledEvents cancelled) {
		this.cancelled = cancelled;
		this.chains = chains;
		this.attempts = attempts;
		this.decisions = decisions;
		this.metrics = metrics;
		this.clock = clock;
		this.tracing = tracing;
	}

	/**
	 * Handles a batch from one lane (or one of its retry topics), every record of it due
	 * now.
	 * @throws IllegalStateException (or another runtime exception) when Redis fails: the
	 * whole batch is then handled again, which the ledger makes safe
	 */
	Outputs dispatch(Channel channel, Lane lane, List<ConsumerRecord<String, byte[]>> records) {
		Outputs outputs = new Outputs(this.tracing);
		Topic<DeliverNotification> laneTopic = Topics.deliver(channel, lane);
		Map<String, List<Request>> byUser = new LinkedHashMap<>();
		List<DeliverNotification> decoded = new ArrayList<>(records.size());
		for (ConsumerRecord<String, byte[]> record : records) {
			Request request = Request.decode(channel, laneTopic, record);
			if (request.notification() != null) {
				decoded.add(request.notification());
			}
			byUser.computeIfAbsent(String.valueOf(record.key()), (key) -> new ArrayList<>()).add(request);
		}
		CancelledEvents.Marks cancelled = this.cancelled.of(decoded);
		List<Future<Outputs>> users = new ArrayList<>(byUser.size());
		for (List<Request> userRequests : byUser.values()) {
			users.add(this.threads.submit(() -> {
				Outputs own = new Outputs(this.tracing);
				for (Request request : userRequests) {
					traced(channel, laneTopic, lane, request, cancelled, own);
				}
				return own;
			}));
		}
		// Every user's work ends before the batch does, even when one of them failed: the
		// batch is then handled again, and none of its sends may still be under way by
		// then.
		RuntimeException failure = null;
		boolean interrupted = false;
		for (Future<Outputs> user : users) {
			try {
				outputs.records().addAll(user.get().records());
			}
			catch (InterruptedException ex) {
				interrupted = true;
				users.forEach((other) -> other.cancel(true));
				failure = (failure != null) ? failure : new IllegalStateException("interrupted while dispatching", ex);
			}
			catch (ExecutionException ex) {
				failure = (failure != null) ? failure : (ex.getCause() instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException("dispatch failed", ex.getCause());
			}
			catch (CancellationException ex) {
				failure = (failure != null) ? failure : new IllegalStateException("dispatch cancelled", ex);
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (failure != null) {
			throw failure;
		}
		return outputs;
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/**
	 * Handles one request in a span of its own, in scope, and counts what became of it.
	 */
	private void traced(Channel channel, Topic<DeliverNotification> lane, Lane laneKind, Request request,
			CancelledEvents.Marks cancelled, Outputs outputs) throws InterruptedException {
		ConsumerRecord<String, byte[]> record = request.record();
		Span span = this.tracing.start(REQUEST_SPAN, record.headers());
		span.tag("herald.channel", channel.wireName())
			.tag("herald.lane", laneKind.topicSuffix())
			.tag("herald.attempt", attempt(record));
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			DeliverNotification notification = request.notification();
			if (notification == null) {
				deadLetter(lane, request, outputs, span);
			}
			String outcome = (notification != null) ? handle(channel, lane, laneKind, notification,
					cancelled.reason(notification), record, outputs, span) : "invalid";
			span.tag("herald.outcome", outcome);
			this.metrics.request(channel, laneKind, notification, outcome);
		}
		catch (RuntimeException | InterruptedException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/** Dead-letters a record that is not a request of this lane. */
	private void deadLetter(Topic<DeliverNotification> lane, Request request, Outputs outputs, Span span) {
		ConsumerRecord<String, byte[]> record = request.record();
		String problem = String.valueOf(request.problem());
		logger.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), problem);
		outputs.deadLetter(lane.name(), record.value(), "invalid_record: " + problem, attempt(record), record, span);
	}

	/**
	 * @param cancellation why the request's event was cancelled, or {@code null} when it
	 * was not
	 * @return what became of the request, as counted by {@code herald.delivery.requests}
	 */
	private String handle(Channel channel, Topic<DeliverNotification> lane, Lane laneKind,
			DeliverNotification notification, @Nullable String cancellation, ConsumerRecord<String, byte[]> record,
			Outputs outputs, Span span) throws InterruptedException {
		int attempt = attempt(record);
		Instant origin = Funnel.acceptedAt(record.headers(), notification.createdAt());
		Instant now = this.clock.instant();
		List<Send> sends = Sends.of(notification, attempt);
		if (notification.expiresAt() != null && !now.isBefore(notification.expiresAt())) {
			report(outputs, span, notification, channel, sends, DeliveryState.EXPIRED, "expires_at", now);
			return "expired";
		}
		if (sends.isEmpty()) {
			// Nothing to send, so nothing the ledger could know as sent.
			outputs.status(notification,
					StatusReported
						.of(notification.tenant(), notification.eventId(), notification.userId(), channel,
								(cancellation != null) ? DeliveryState.CANCELLED : DeliveryState.SUPPRESSED, now)
						.withReason((cancellation != null) ? cancellation : "no_device"),
					span);
			return (cancellation != null) ? "cancelled" : "done";
		}
		Tries tries = sendAll(sends, attempt, origin, cancellation, outputs, span);
		List<SendAttempts.Unsent> failed = tries.failed();
		if (failed.isEmpty()) {
			return tries.cancelled() ? "cancelled" : "done";
		}
		List<DeliveryOutcome.Failed> failures = failed.stream().map(SendAttempts.Unsent::outcome).toList();
		if (this.decisions.fallsBack(notification, failures)) {
			String fellBackTo = fallBack(notification, attempt, origin, cancellation, outputs, span);
			if (fellBackTo != null) {
				for (SendAttempts.Unsent result : failed) {
					outputs.status(notification,
							SendAttempts.status(notification, result.send(), DeliveryState.FAILED, this.clock.instant())
								.withReason("fell_back_to_" + fellBackTo),
							result.span());
				}
				return "fell_back";
			}
		}
		return scheduleRetry(lane.name(), laneKind, channel, notification, attempt, failed, failures, record, outputs,
				span);
	}

	/**
	 * Sends each send unless the ledger knows it or its event was cancelled, reports
	 * final outcomes, and returns the sends that failed for now. Each send is a span, a
	 * child of the request's.
	 */
	private Tries sendAll(List<Send> sends, int attempt, Instant origin, @Nullable String cancellation, Outputs outputs,
			Span request) throws InterruptedException {
		List<SendAttempts.Unsent> failed = new ArrayList<>();
		boolean cancelled = false;
		for (Send send : sends) {
			Span span = this.tracing.startChild(SEND_SPAN, request)
				.tag("herald.channel", send.channel().wireName())
				.tag("herald.attempt", attempt);
			try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
				switch (this.attempts.attempt(send, origin, cancellation, outputs, span)) {
					case SendAttempts.Unsent unsent -> failed.add(unsent);
					case SendAttempts.Cancelled stopped -> cancelled = true;
					case SendAttempts.Reported reported -> {
					}
				}
			}
			catch (RuntimeException | InterruptedException ex) {
				span.error(ex);
				throw ex;
			}
			finally {
				span.end();
			}
		}
		return new Tries(failed, cancelled);
	}

	/**
	 * Tries a critical request's fallback channels in order until one of them gets it
	 * out.
	 * @return the channel that got it out, or {@code null}
	 */
	private @Nullable String fallBack(DeliverNotification notification, int attempt, Instant origin,
			@Nullable String cancellation, Outputs outputs, Span request) throws InterruptedException {
		for (ChannelMessage message : notification.fallbacks()) {
			if (message.channel() == notification.channel() || !this.chains.serves(message.channel())) {
				continue;
			}
			List<Send> sends = Sends.fallback(notification, message, attempt);
			if (sends.isEmpty()) {
				continue;
			}
			Tries tries = sendAll(sends, attempt, origin, cancellation, outputs, request);
			if (tries.failed().size() < sends.size()) {
				return message.channel().wireName();
			}
		}
		return null;
	}

	/**
	 * @return {@code retried}, {@code postponed} or {@code dead_lettered}
	 */
	private String scheduleRetry(String lane, Lane laneKind, Channel channel, DeliverNotification notification,
			int attempt, List<SendAttempts.Unsent> failed, List<DeliveryOutcome.Failed> failures,
			ConsumerRecord<String, byte[]> record, Outputs outputs, Span request) {
		String reason = failures.get(0).reason();
		Instant now = this.clock.instant();
		return switch (this.decisions.afterFailures(attempt, failures)) {
			case DeliveryDecisions.Decision.Retry retry -> {
				retry(lane, laneKind, channel, notification, retry.level(), retry.attempt(), retry.notBefore(), reason,
						failed, record, outputs, request, now);
				yield "retried";
			}
			case DeliveryDecisions.Decision.Postpone postpone -> {
				retry(lane, laneKind, channel, notification, postpone.level(), postpone.attempt(), postpone.notBefore(),
						reason, failed, record, outputs, request, now);
				yield "postponed";
			}
			case DeliveryDecisions.Decision.DeadLetter giveUp -> {
				logger.warn("Dead-lettering {} for {} after {} tries: {}", notification.notificationId(),
						notification.userId(), giveUp.attempts(), reason);
				outputs.deadLetter(lane, record.value(), "retries_exhausted: " + reason, giveUp.attempts(), record,
						request);
				for (SendAttempts.Unsent result : failed) {
					outputs.status(notification,
							SendAttempts.status(notification, result.send(), DeliveryState.DEAD_LETTERED, now)
								.withReason(result.outcome().reason()),
							result.span());
				}
				yield "dead_lettered";
			}
		};
	}

	/**
	 * Writes the request to a retry topic and reports each failed send {@code queued}.
	 */
	private void retry(String lane, Lane laneKind, Channel channel, DeliverNotification notification, int level,
			int attempt, Instant notBefore, String reason, List<SendAttempts.Unsent> failed,
			ConsumerRecord<String, byte[]> record, Outputs outputs, Span request, Instant now) {
		outputs.retry(Topics.retry(Topics.deliver(channel, laneKind), level), lane, attempt, notBefore, reason, record,
				request);
		for (SendAttempts.Unsent result : failed) {
			outputs.status(notification, SendAttempts.status(notification, result.send(), DeliveryState.QUEUED, now)
				.withReason("retrying: " + result.outcome().reason()), result.span());
		}
	}

	private void report(Outputs outputs, Span span, DeliverNotification notification, Channel channel, List<Send> sends,
			DeliveryState state, String reason, Instant at) {
		if (sends.isEmpty()) {
			outputs.status(notification,
					StatusReported
						.of(notification.tenant(), notification.eventId(), notification.userId(), channel, state, at)
						.withReason(reason),
					span);
		}
		for (Send send : sends) {
			outputs.status(notification, SendAttempts.status(notification, send, state, at).withReason(reason), span);
		}
	}

	/**
	 * The sends of a request that failed for now, and whether any was not sent for its
	 * cancellation.
	 */
	private record Tries(List<SendAttempts.Unsent> failed, boolean cancelled) {
	}

	/**
	 * A record of a batch, decoded before the batch is handled so that the batch's
	 * cancellation marks are read at once.
	 *
	 * @param notification the request, or {@code null} when the record is not one of this
	 * lane
	 * @param problem why it is not
	 */
	private record Request(ConsumerRecord<String, byte[]> record, @Nullable DeliverNotification notification,
			@Nullable String problem) {

		static Request decode(Channel channel, Topic<DeliverNotification> lane, ConsumerRecord<String, byte[]> record) {
			try {
				DeliverNotification notification = lane.codec().decode(record.value());
				if (notification == null) {
					return new Request(record, null, "empty record on a delivery lane");
				}
				if (notification.channel() != channel) {
					return new Request(record, null,
							"a " + notification.channel().wireName() + " notification on the " + lane.name() + " lane");
				}
				return new Request(record, notification, null);
			}
			catch (RecordDecodingException ex) {
				return new Request(record, null, ex.getMessage());
			}
		}

	}

	private static int attempt(ConsumerRecord<String, byte[]> record) {
		String attempt = HeaderNames.lastValue(record.headers(), HeaderNames.ATTEMPT);
		try {
			return (attempt != null) ? Math.max(1, Integer.parseInt(attempt)) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

}
