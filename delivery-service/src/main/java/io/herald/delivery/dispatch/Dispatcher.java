package io.herald.delivery.dispatch;

import io.herald.delivery.ledger.Claim;
import io.herald.delivery.ledger.LedgerOutcome;
import io.herald.delivery.ledger.SendLedger;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.Send;
import io.herald.delivery.retry.RetryPolicy;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a batch of delivery requests into sends and decides what becomes of each request.
 *
 * <p>Guarantees, for one batch:
 * <ul>
 * <li>Per user, requests are handled one after another in lane order (one virtual thread per
 * user), different users at once, bounded by each provider's in-flight limit.</li>
 * <li>Every send is claimed in the {@link SendLedger} before its provider is called; a send the
 * ledger knows as done is reported again, never sent again.</li>
 * <li>A rejected send is final: {@code failed} with the reason, and for a dead device token a
 * {@code remove-device} command to routing.</li>
 * <li>A request with sends that failed for now goes to a retry topic (exponential backoff with
 * jitter) or, after the last try, to the dead-letter topic ({@code dead-lettered}). A critical
 * request that no provider of its channel could take is first tried on its fallback channels,
 * at once: it does not wait for the channel to recover.</li>
 * <li>Nothing is written here: the caller writes {@link Outputs} and waits for the broker before
 * committing the batch, so a crash at any point leads to the batch being read again.</li>
 * </ul>
 */
@Component
class Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	/** Failures that are no try of the provider: waiting for them uses up no attempt. */
	private static final List<String> NOT_TRIED = List.of("circuit_open", "rate_limited", "in_progress");

	private final ProviderChains chains;

	private final SendLedger ledger;

	private final RetryPolicy retries;

	private final DispatchMetrics metrics;

	private final Clock clock;

	Dispatcher(ProviderChains chains, SendLedger ledger, RetryPolicy retries, DispatchMetrics metrics, Clock clock) {
		this.chains = chains;
		this.ledger = ledger;
		this.retries = retries;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Handles a batch from one lane (or one of its retry topics), every record of it due now.
	 * @throws IllegalStateException (or another runtime exception) when Redis fails: the whole
	 * batch is then handled again, which the ledger makes safe
	 */
	Outputs dispatch(Channel channel, Lane lane, List<ConsumerRecord<String, byte[]>> records) {
		Outputs outputs = new Outputs();
		Map<String, List<ConsumerRecord<String, byte[]>>> byUser = new LinkedHashMap<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			byUser.computeIfAbsent(String.valueOf(record.key()), (key) -> new ArrayList<>()).add(record);
		}
		Topic<DeliverNotification> laneTopic = Topics.deliver(channel, lane);
		List<Future<Outputs>> users = new ArrayList<>(byUser.size());
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (List<ConsumerRecord<String, byte[]>> userRecords : byUser.values()) {
				users.add(threads.submit(() -> {
					Outputs own = new Outputs();
					for (ConsumerRecord<String, byte[]> record : userRecords) {
						handle(channel, laneTopic, lane, record, own);
					}
					return own;
				}));
			}
			for (Future<Outputs> user : users) {
				outputs.records().addAll(user.get().records());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while dispatching", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("dispatch failed", ex.getCause());
		}
		return outputs;
	}

	private void handle(Channel channel, Topic<DeliverNotification> lane, Lane laneKind,
			ConsumerRecord<String, byte[]> record, Outputs outputs) throws InterruptedException {
		int attempt = attempt(record);
		DeliverNotification notification;
		try {
			notification = lane.codec().decode(record.value());
			if (notification == null) {
				throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
						"empty record on a delivery lane");
			}
			if (notification.channel() != channel) {
				throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
						"a " + notification.channel().wireName() + " notification on the " + lane.name() + " lane");
			}
		}
		catch (RecordDecodingException ex) {
			logger.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					ex.getMessage());
			outputs.deadLetter(lane.name(), record.value(), "invalid_record: " + ex.getMessage(), attempt, record);
			this.metrics.request(channel, laneKind, "invalid");
			return;
		}
		Instant now = this.clock.instant();
		List<Send> sends = Sends.of(notification, attempt);
		if (notification.expiresAt() != null && !now.isBefore(notification.expiresAt())) {
			report(outputs, record, notification, channel, sends, DeliveryState.EXPIRED, "expires_at", now);
			this.metrics.request(channel, laneKind, "expired");
			return;
		}
		if (sends.isEmpty()) {
			outputs.status(StatusReported.of(notification.tenant(), notification.eventId(), notification.userId(),
					channel, DeliveryState.SUPPRESSED, now).withReason("no_device"), record);
			this.metrics.request(channel, laneKind, "done");
			return;
		}
		List<Result> failed = sendAll(sends, record, outputs);
		if (failed.isEmpty()) {
			this.metrics.request(channel, laneKind, "done");
			return;
		}
		if (notification.priority() == Priority.CRITICAL && !notification.fallbacks().isEmpty()
				&& failed.stream().noneMatch((result) -> result.outcome().reason().equals("in_progress"))) {
			String fellBackTo = fallBack(notification, attempt, record, outputs);
			if (fellBackTo != null) {
				for (Result result : failed) {
					outputs.status(status(notification, result.send(), DeliveryState.FAILED, this.clock.instant())
						.withReason("fell_back_to_" + fellBackTo), record);
				}
				this.metrics.request(channel, laneKind, "fell_back");
				return;
			}
		}
		scheduleRetry(lane.name(), laneKind, channel, notification, attempt, failed, record, outputs);
	}

	/**
	 * Sends each send unless the ledger knows it, reports final outcomes, and returns the sends
	 * that failed for now.
	 */
	private List<Result> sendAll(List<Send> sends, ConsumerRecord<String, byte[]> record, Outputs outputs)
			throws InterruptedException {
		List<Result> failed = new ArrayList<>();
		for (Send send : sends) {
			DeliverNotification notification = send.notification();
			String ledgerKey = SendLedger.key(notification.tenant(), notification.userId(), send.key());
			Claim claim = this.ledger.claim(ledgerKey);
			switch (claim) {
				case Claim.Done done -> {
					this.metrics.ledger(send.channel(), "done");
					reportDone(send, done.outcome(), record, outputs);
					continue;
				}
				case Claim.Busy busy -> {
					this.metrics.ledger(send.channel(), "busy");
					Duration wait = Duration.ofMillis(Math.max(busy.leaseUntilMs() - this.clock.millis(), 1_000));
					failed.add(new Result(send, new DeliveryOutcome.Failed("in_progress", wait,
							"another worker holds this send")));
					continue;
				}
				case Claim.Ambiguous ambiguous -> {
					this.metrics.ledger(send.channel(), "ambiguous");
					logger.info("Send {} was claimed by {} without an outcome; sending again with the same ids",
							send.key(), ambiguous.previousOwner());
				}
				case Claim.Claimed claimed -> {
				}
			}
			ProviderChains.Attempt attempt;
			try {
				attempt = this.chains.send(send);
			}
			catch (RuntimeException | InterruptedException ex) {
				this.ledger.release(ledgerKey);
				throw ex;
			}
			Instant at = this.clock.instant();
			switch (attempt.outcome()) {
				case DeliveryOutcome.Sent sent -> {
					this.ledger.complete(ledgerKey, new LedgerOutcome(true, attempt.provider(), sent.providerId(), null));
					outputs.status(sent(send, sent.providerId(), at), record);
					this.metrics.latency(send.channel(), attempt.provider(), Duration.between(notification.createdAt(), at));
				}
				case DeliveryOutcome.Rejected rejected -> {
					this.ledger.complete(ledgerKey, new LedgerOutcome(false, attempt.provider(), null, rejected.reason()));
					logger.info("{} rejected send {}: {} ({})", attempt.provider(), send.key(), rejected.reason(),
							rejected.detail());
					outputs.status(status(notification, send, DeliveryState.FAILED, at).withReason(rejected.reason()),
							record);
					if (rejected.deadAddress() && send.device() != null) {
						outputs.command(new UserCommand.RemoveDevice(UserCommand.SCHEMA_VERSION, notification.tenant(),
								notification.userId(), at, send.device().token(), rejected.reason()), record);
					}
				}
				case DeliveryOutcome.Failed temporary -> {
					this.ledger.release(ledgerKey);
					failed.add(new Result(send, temporary));
				}
			}
		}
		return failed;
	}

	/**
	 * Tries a critical request's fallback channels in order until one of them gets it out.
	 * @return the channel that got it out, or {@code null}
	 */
	private @Nullable String fallBack(DeliverNotification notification, int attempt,
			ConsumerRecord<String, byte[]> record, Outputs outputs) throws InterruptedException {
		for (ChannelMessage message : notification.fallbacks()) {
			if (message.channel() == notification.channel() || !this.chains.serves(message.channel())) {
				continue;
			}
			List<Send> sends = Sends.fallback(notification, message, attempt);
			if (sends.isEmpty()) {
				continue;
			}
			List<Result> failed = sendAll(sends, record, outputs);
			if (failed.size() < sends.size()) {
				return message.channel().wireName();
			}
		}
		return null;
	}

	private void scheduleRetry(String lane, Lane laneKind, Channel channel, DeliverNotification notification,
			int attempt, List<Result> failed, ConsumerRecord<String, byte[]> record, Outputs outputs) {
		String reason = failed.get(0).outcome().reason();
		Duration retryAfter = failed.stream()
			.map((result) -> result.outcome().retryAfter())
			.filter((after) -> after != null)
			.max(Duration::compareTo)
			.orElse(null);
		boolean tried = failed.stream().anyMatch((result) -> !NOT_TRIED.contains(result.outcome().reason()));
		RetryPolicy.Decision decision = tried ? this.retries.afterFailure(attempt, retryAfter)
				: this.retries.postpone(attempt, (retryAfter != null) ? retryAfter : Duration.ofSeconds(1));
		Instant now = this.clock.instant();
		switch (decision) {
			case RetryPolicy.Decision.Retry retry -> {
				outputs.retry(Topics.retry(Topics.deliver(channel, laneKind), retry.level()), lane, retry.attempt(),
						retry.notBefore(), reason, record);
				for (Result result : failed) {
					outputs.status(status(notification, result.send(), DeliveryState.QUEUED, now)
						.withReason("retrying: " + result.outcome().reason()), record);
				}
				this.metrics.request(channel, laneKind, tried ? "retried" : "postponed");
			}
			case RetryPolicy.Decision.GiveUp giveUp -> {
				logger.warn("Dead-lettering {} for {} after {} tries: {}", notification.notificationId(),
						notification.userId(), giveUp.attempts(), reason);
				outputs.deadLetter(lane, record.value(), "retries_exhausted: " + reason, giveUp.attempts(), record);
				for (Result result : failed) {
					outputs.status(status(notification, result.send(), DeliveryState.DEAD_LETTERED, now)
						.withReason(result.outcome().reason()), record);
				}
				this.metrics.request(channel, laneKind, "dead_lettered");
			}
		}
	}

	private void reportDone(Send send, @Nullable LedgerOutcome outcome, ConsumerRecord<String, byte[]> record,
			Outputs outputs) {
		if (outcome == null) {
			return;
		}
		Instant now = this.clock.instant();
		outputs.status(outcome.sent() ? sent(send, outcome.providerId(), now)
				: status(send.notification(), send, DeliveryState.FAILED, now).withReason(String.valueOf(outcome.reason())),
				record);
	}

	private void report(Outputs outputs, ConsumerRecord<String, byte[]> record, DeliverNotification notification,
			Channel channel, List<Send> sends, DeliveryState state, String reason, Instant at) {
		if (sends.isEmpty()) {
			outputs.status(StatusReported.of(notification.tenant(), notification.eventId(), notification.userId(),
					channel, state, at).withReason(reason), record);
		}
		for (Send send : sends) {
			outputs.status(status(notification, send, state, at).withReason(reason), record);
		}
	}

	private static StatusReported sent(Send send, @Nullable String providerId, Instant at) {
		DeliverNotification notification = send.notification();
		return new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(), notification.eventId(),
				notification.userId(), send.channel(), label(send), DeliveryState.SENT, null, null, providerId, null, at);
	}

	private static StatusReported status(DeliverNotification notification, Send send, DeliveryState state, Instant at) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(), notification.eventId(),
				notification.userId(), send.channel(), label(send), state, null, null, null, null, at);
	}

	private static @Nullable String label(Send send) {
		return (send.device() != null) ? send.device().label() : null;
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

	/** A send that failed for now, after every provider of its channel. */
	private record Result(Send send, DeliveryOutcome.Failed outcome) {
	}

}
