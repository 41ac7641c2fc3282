package io.herald.delivery.receipt;

import io.herald.events.DeliveryState;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * What one receipt says about a message the provider accepted. Only {@link Delivered},
 * {@link Failed} and {@link Complained} change the delivery's status; the others are
 * counted and logged.
 */
public sealed interface ReceiptOutcome {

	/**
	 * The status the receipt moves its delivery to, or {@code null} when it moves none.
	 */
	@Nullable DeliveryState state();

	/**
	 * The status's reason, or {@code null}.
	 */
	default @Nullable ReceiptReason reason() {
		return null;
	}

	/**
	 * Whether the receipt shows that the address can never be reached again: the point
	 * where a permanent failure is known ({@link PermanentFailureListener}).
	 */
	default boolean permanentAddressFailure() {
		ReceiptReason reason = reason();
		return reason != null && reason.permanentAddressFailure();
	}

	/** A word for metrics and logs. */
	String outcome();

	/** The message reached the handset or the mailbox. */
	record Delivered() implements ReceiptOutcome {

		@Override
		public DeliveryState state() {
			return DeliveryState.DELIVERED;
		}

		@Override
		public String outcome() {
			return "delivered";
		}

	}

	/**
	 * The message did not reach its recipient and will not.
	 *
	 * @param reason why
	 * @param detail the provider's own words (an error code, a diagnostic), for logs
	 */
	record Failed(ReceiptReason reason, String detail) implements ReceiptOutcome {

		public Failed {
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(detail, "detail");
		}

		@Override
		public DeliveryState state() {
			return DeliveryState.FAILED;
		}

		@Override
		public String outcome() {
			return "failed";
		}

	}

	/**
	 * The recipient complained (marked it as spam): the message was delivered, and the
	 * address must not be written to again. Reported {@code delivered} with reason
	 * {@code complained}, never {@code failed}.
	 *
	 * @param detail the feedback type and the reporting system, for logs
	 */
	record Complained(String detail) implements ReceiptOutcome {

		@Override
		public DeliveryState state() {
			return DeliveryState.DELIVERED;
		}

		@Override
		public ReceiptReason reason() {
			return ReceiptReason.COMPLAINED;
		}

		@Override
		public String outcome() {
			return "complained";
		}

	}

	/**
	 * A temporary delivery failure the provider keeps trying (a soft bounce, DSN 4.x.x):
	 * counted and logged only.
	 *
	 * @param detail the diagnostic, for logs
	 */
	record Deferred(String detail) implements ReceiptOutcome {

		@Override
		public @Nullable DeliveryState state() {
			return null;
		}

		@Override
		public String outcome() {
			return "soft_bounce";
		}

	}

	/**
	 * A step on the way ({@code queued}, {@code sent}, a relay's hand-over) or a report
	 * Herald does not act on: counted only.
	 *
	 * @param step the provider's word for it
	 */
	record InProgress(String step) implements ReceiptOutcome {

		@Override
		public @Nullable DeliveryState state() {
			return null;
		}

		@Override
		public String outcome() {
			return "progress";
		}

	}

}
