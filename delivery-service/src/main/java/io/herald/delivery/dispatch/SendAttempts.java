package io.herald.delivery.dispatch;

import io.herald.delivery.ledger.Claim;
import io.herald.delivery.ledger.LedgerOutcome;
import io.herald.delivery.ledger.SendLedger;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.ReceiptReferences;
import io.herald.delivery.retry.DeliveryDecisions;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import io.herald.events.SuppressionReason;
import io.herald.events.UserCommand;
import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tries one send: claims it in the {@link SendLedger}, calls its channel's providers
 * unless the ledger knows the send already, records the outcome, and reports it. A send
 * the ledger knows as done is reported again, never sent again, even when its event was
 * cancelled since: what a provider took stays {@code sent}. A send of a cancelled event
 * that the ledger does not know as done is reported {@code cancelled} and not sent; its
 * claim is given back. A send another worker holds, or that failed for now, is handed
 * back for the {@link Dispatcher} to retry. A send of a channel that gets receipts is
 * listed among its user's receipt references by its ledger claim, when the claim grants
 * it, and then has its reference written before its provider is called
 * ({@link ReceiptReferences}); a claim answered done or busy touches neither. A send
 * refused for good asks routing to suppress its address when the refusal says the address
 * is dead; the ledger keeps that with the outcome, and a request read again asks again.
 */
@Component
class SendAttempts {

	private static final Logger logger = LoggerFactory.getLogger(SendAttempts.class);

	private final ProviderChains chains;

	private final SendLedger ledger;

	private final DispatchMetrics metrics;

	private final Clock clock;

	private final ReceiptReferences receipts;

	SendAttempts(ProviderChains chains, SendLedger ledger, DispatchMetrics metrics, Clock clock,
			ReceiptReferences receipts) {
		this.chains = chains;
		this.ledger = ledger;
		this.metrics = metrics;
		this.clock = clock;
		this.receipts = receipts;
	}

	/**
	 * Sends one send unless the ledger knows it or its event was cancelled (the event
	 * behind it was accepted at {@code origin}), reports a final outcome on the outputs
	 * with the span's context, and tags the span with provider and outcome.
	 * @param cancellation why the send's event was cancelled, or {@code null} when it was
	 * not
	 * @return what became of the send; {@link Unsent} if it failed for now
	 * @throws InterruptedException or a runtime exception when Redis or the provider
	 * chain fails; a claim made for the call is released
	 */
	Tried attempt(Send send, Instant origin, @Nullable String cancellation, Outputs outputs, Span span)
			throws InterruptedException {
		DeliverNotification notification = send.notification();
		String ledgerKey = SendLedger.key(notification.tenant(), notification.userId(), send.key());
		// A send to be made is listed among its user's receipt references by its claim,
		// only when the claim grants it: a send made before, or another worker's, keeps
		// its reference as it is.
		Claim claim = (cancellation == null && this.receipts.expected(send.channel()))
				? this.ledger.claim(ledgerKey, this.receipts.listing(send)) : this.ledger.claim(ledgerKey);
		switch (claim) {
			case Claim.Done done -> {
				// Checked before the cancellation: what the provider took stays sent,
				// what it refused failed.
				this.metrics.ledger(send.channel(), "done");
				LedgerOutcome outcome = done.outcome();
				span.tag("herald.outcome", "done")
					.tag("herald.provider", (outcome != null) ? outcome.provider() : "none");
				reportDone(send, outcome, outputs, span);
				return Tried.REPORTED;
			}
			case Claim.Busy busy -> {
				this.metrics.ledger(send.channel(), "busy");
				span.tag("herald.outcome", "in_progress").tag("herald.provider", "none");
				Duration wait = Duration.ofMillis(Math.max(busy.leaseUntilMs() - this.clock.millis(), 1_000));
				return new Unsent(send,
						new DeliveryOutcome.Failed(FailureCause.IN_PROGRESS, wait, "another worker holds this send"),
						span);
			}
			case Claim.Ambiguous ambiguous -> {
				this.metrics.ledger(send.channel(), "ambiguous");
				if (cancellation == null) {
					logger.info("Send {} was claimed by {} without an outcome; sending again with the same ids",
							send.key(), ambiguous.previousOwner());
				}
			}
			case Claim.Claimed claimed -> {
			}
		}
		if (cancellation != null) {
			// Not sent as far as the ledger knows (a crash's send in flight is not sent
			// again either).
			this.ledger.release(ledgerKey);
			span.tag("herald.outcome", "cancelled").tag("herald.provider", "none");
			outputs.status(notification,
					status(notification, send, DeliveryState.CANCELLED, this.clock.instant()).withReason(cancellation),
					span);
			return Tried.CANCELLED;
		}
		ProviderChains.Attempt attempt;
		try {
			// Before the provider, whose receipt may come back at once; a reference that
			// could not be written gives the claim back unsent.
			this.receipts.expect(send);
			attempt = this.chains.send(send);
		}
		catch (RuntimeException | InterruptedException ex) {
			this.ledger.release(ledgerKey);
			throw ex;
		}
		Instant at = this.clock.instant();
		span.tag("herald.provider", attempt.provider()).tag("herald.outcome", attempt.outcome().outcome());
		this.metrics.sent(notification, send.channel(), attempt.outcome());
		switch (attempt.outcome()) {
			case DeliveryOutcome.Sent sent -> {
				this.ledger.complete(ledgerKey, new LedgerOutcome(true, attempt.provider(), sent.providerId(), null));
				logger.debug("{} sent {} as {}", attempt.provider(), send.key(), sent.providerId());
				outputs.status(notification, sent(send, sent.providerId(), at), span);
				this.metrics.latency(notification, send.channel(), attempt.provider(), origin, at);
				return Tried.REPORTED;
			}
			case DeliveryOutcome.Rejected rejected -> {
				SuppressionReason suppression = AddressSuppressions.reason(send, rejected.cause()).orElse(null);
				this.ledger.complete(ledgerKey,
						new LedgerOutcome(false, attempt.provider(), null, rejected.reason(), suppression, at));
				span.tag("herald.reason", rejected.reason());
				logger.info("{} rejected send {}: {} ({})", attempt.provider(), send.key(), rejected.reason(),
						rejected.detail());
				outputs.status(notification,
						status(notification, send, DeliveryState.FAILED, at).withReason(rejected.reason()), span);
				if (DeliveryDecisions.forgetsDevice(rejected.cause()) && send.device() != null) {
					outputs.command(new UserCommand.RemoveDevice(UserCommand.SCHEMA_VERSION, notification.tenant(),
							notification.userId(), at, send.device().token(), rejected.reason()), span);
				}
				if (suppression != null) {
					suppress(AddressSuppressions.command(send, suppression, at, at), outputs, span);
				}
				return Tried.REPORTED;
			}
			case DeliveryOutcome.Failed temporary -> {
				this.ledger.release(ledgerKey);
				span.tag("herald.reason", temporary.reason());
				return new Unsent(send, temporary, span);
			}
		}
	}

	/**
	 * Reports a send the ledger knows as done again, with the suppression its rejection
	 * asked for: the process that recorded it may have stopped before its outputs were
	 * written, and routing folds a repeated suppression as one. The command carries the
	 * time of the provider's answer, so a lift since outranks it.
	 */
	private void reportDone(Send send, @Nullable LedgerOutcome outcome, Outputs outputs, Span span) {
		if (outcome == null) {
			return;
		}
		Instant now = this.clock.instant();
		outputs.status(send.notification(),
				outcome.sent() ? sent(send, outcome.providerId(), now)
						: status(send.notification(), send, DeliveryState.FAILED, now)
							.withReason(String.valueOf(outcome.reason())),
				span);
		SuppressionReason suppression = outcome.suppression();
		if (!outcome.sent() && suppression != null) {
			Instant answered = outcome.at();
			suppress(AddressSuppressions.command(send, suppression, now, (answered != null) ? answered : now), outputs,
					span);
		}
	}

	private void suppress(UserCommand.SuppressAddress command, Outputs outputs, Span span) {
		outputs.command(command, span);
		this.metrics.suppression(command);
	}

	private static StatusReported sent(Send send, @Nullable String providerId, Instant at) {
		DeliverNotification notification = send.notification();
		return new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(), notification.eventId(),
				notification.userId(), send.channel(), label(send), DeliveryState.SENT, null, null, providerId, null,
				at);
	}

	static StatusReported status(DeliverNotification notification, Send send, DeliveryState state, Instant at) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, notification.tenant(), notification.eventId(),
				notification.userId(), send.channel(), label(send), state, null, null, null, null, at);
	}

	private static @Nullable String label(Send send) {
		return (send.device() != null) ? send.device().label() : null;
	}

	/** What became of one send. */
	sealed interface Tried permits Reported, Cancelled, Unsent {

		/** Sent or refused for good, now or before (the ledger knew it), and reported. */
		Reported REPORTED = new Reported();

		/** Not sent: its event was cancelled, and the ledger did not know it as sent. */
		Cancelled CANCELLED = new Cancelled();

	}

	/** Sent or refused for good, now or before, and reported. */
	record Reported() implements Tried {
	}

	/** Reported {@code cancelled} and not sent. */
	record Cancelled() implements Tried {
	}

	/**
	 * A send that failed for now, after every provider of its channel, and the span of
	 * its try.
	 */
	record Unsent(Send send, DeliveryOutcome.Failed outcome, Span span) implements Tried {
	}

}
