package io.herald.delivery.provider;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * What a provider made of one send. A rejection is permanent: sending the same message
 * again would be rejected again, so it is never retried nor tried on another provider. A
 * failure is temporary: the same send may succeed later or through another provider.
 */
public sealed interface DeliveryOutcome {

	/**
	 * A short machine-readable word for metrics: {@code sent}, {@code rejected},
	 * {@code failed}.
	 */
	String outcome();

	/**
	 * The provider accepted the message.
	 *
	 * @param providerId the provider's id of the message (APNs {@code apns-id}, FCM
	 * message name, Twilio message SID, SMTP {@code Message-ID})
	 */
	record Sent(String providerId) implements DeliveryOutcome {

		public Sent {
			Objects.requireNonNull(providerId, "providerId");
		}

		@Override
		public String outcome() {
			return "sent";
		}

	}

	/**
	 * The provider refused the message for good.
	 *
	 * @param cause why, as decisions read it
	 * @param reason a stable lower-case reason for the wire and the logs: the cause's
	 * own, or the provider's more precise word, for example {@code invalid_number},
	 * {@code bad_device_token}
	 * @param detail the provider's own words, for logs
	 */
	record Rejected(RejectionCause cause, String reason, String detail) implements DeliveryOutcome {

		public Rejected {
			Objects.requireNonNull(cause, "cause");
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(detail, "detail");
		}

		/** A rejection with its cause's own reason. */
		public Rejected(RejectionCause cause, String detail) {
			this(cause, cause.reason(), detail);
		}

		@Override
		public String outcome() {
			return "rejected";
		}

	}

	/**
	 * The send failed for now: the provider is down, overloaded, throttling or
	 * unreachable, or Herald did not call it.
	 *
	 * @param cause why, as decisions read it
	 * @param retryAfter how long the provider asked to wait, or {@code null}
	 * @param detail the provider's own words, for logs
	 */
	record Failed(FailureCause cause, @Nullable Duration retryAfter, String detail) implements DeliveryOutcome {

		public Failed {
			Objects.requireNonNull(cause, "cause");
			Objects.requireNonNull(detail, "detail");
		}

		/** The cause's stable lower-case reason, for the wire and the logs. */
		public String reason() {
			return this.cause.reason();
		}

		@Override
		public String outcome() {
			return "failed";
		}

	}

}
