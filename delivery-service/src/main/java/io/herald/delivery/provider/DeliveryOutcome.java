package io.herald.delivery.provider;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * What a provider made of one send. A rejection is permanent: sending the same message again
 * would be rejected again, so it is never retried nor tried on another provider. A failure is
 * temporary: the same send may succeed later or through another provider.
 */
public sealed interface DeliveryOutcome {

	/** A short machine-readable word for metrics: {@code sent}, {@code rejected}, {@code failed}. */
	String outcome();

	/**
	 * The provider accepted the message.
	 * @param providerId the provider's id of the message (APNs {@code apns-id}, FCM message name,
	 * Twilio message SID, SMTP {@code Message-ID})
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
	 * @param reason a stable lower-case reason, for example {@code unregistered},
	 * {@code invalid_number}, {@code bad_address}
	 * @param deadAddress whether the address itself is gone (an unregistered device token): the
	 * dispatcher then asks routing to forget it
	 * @param detail the provider's own words, for logs
	 */
	record Rejected(String reason, boolean deadAddress, String detail) implements DeliveryOutcome {

		public Rejected {
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(detail, "detail");
		}

		@Override
		public String outcome() {
			return "rejected";
		}

	}

	/**
	 * The send failed for now: the provider is down, overloaded or unreachable.
	 * @param reason a stable lower-case reason, for example {@code unavailable},
	 * {@code quota_exceeded}, {@code timeout}, {@code circuit_open}
	 * @param retryAfter how long the provider asked to wait, or {@code null}
	 * @param detail the provider's own words, for logs
	 */
	record Failed(String reason, @Nullable Duration retryAfter, String detail) implements DeliveryOutcome {

		public Failed {
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(detail, "detail");
		}

		@Override
		public String outcome() {
			return "failed";
		}

	}

}
