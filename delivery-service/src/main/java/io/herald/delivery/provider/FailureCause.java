package io.herald.delivery.provider;

/**
 * Why a send failed for now. Decisions read the cause ({@code DeliveryDecisions}); the
 * {@linkplain #reason() reason} is what status records, dead-letter headers, metrics and
 * logs carry, unchanged since before causes were typed: two causes may share one.
 */
public enum FailureCause {

	/** The provider is down or overloaded (5xx), or could not be reached. */
	UNAVAILABLE("unavailable"),

	/** The provider gave no answer in time. */
	TIMEOUT("timeout"),

	/**
	 * The provider refused this account's credentials or permissions: another account may
	 * take the send.
	 */
	AUTH("auth"),

	/** The provider asked to try later (an SMTP 4xx). */
	DEFERRED("deferred"),

	/**
	 * The provider throttles the account (HTTP 429): a try of the provider like any
	 * failure, waiting at least the provider's {@code Retry-After}.
	 */
	PROVIDER_THROTTLED("rate_limited"),

	/**
	 * The provider's quota for the account is used up (FCM {@code QUOTA_EXCEEDED}), with
	 * its {@code Retry-After}.
	 */
	QUOTA_EXCEEDED("quota_exceeded"),

	/**
	 * The provider's client broke its contract (its future failed): a bug, but the send
	 * is not lost.
	 */
	ERROR("error"),

	/** Herald's circuit breaker holds the provider out of service: it was not called. */
	CIRCUIT_OPEN("circuit_open"),

	/**
	 * Herald's own limit on the provider's rate ({@link ProviderLimits#ratePerSecond()}):
	 * it was not called.
	 */
	HERALD_RATE_LIMITED("rate_limited"),

	/**
	 * Another worker holds the send in the send ledger: no provider was called, and one
	 * may be now.
	 */
	IN_PROGRESS("in_progress");

	private final String reason;

	FailureCause(String reason) {
		this.reason = reason;
	}

	/**
	 * The stable lower-case reason for the wire and the logs, for example
	 * {@code unavailable}.
	 */
	public String reason() {
		return this.reason;
	}

}
