package io.herald.infra.sandbox;

import com.eatthepath.pushy.apns.server.RejectionReason;

/**
 * Failures {@link ApnsSandbox} answers on demand, as APNs does: the HTTP status and the
 * {@code reason} of APNs' error body.
 */
public enum ApnsFailure {

	/** 429 {@code TooManyRequests}: too many notifications to one device token. */
	TOO_MANY_REQUESTS(RejectionReason.TOO_MANY_REQUESTS),

	/** 500 {@code InternalServerError}. */
	INTERNAL_SERVER_ERROR(RejectionReason.INTERNAL_SERVER_ERROR),

	/** 503 {@code ServiceUnavailable}. */
	SERVICE_UNAVAILABLE(RejectionReason.SERVICE_UNAVAILABLE),

	/** 403 {@code ExpiredProviderToken}: the client's token must be refreshed. */
	EXPIRED_PROVIDER_TOKEN(RejectionReason.EXPIRED_PROVIDER_TOKEN),

	/** 413 {@code PayloadTooLarge}. */
	PAYLOAD_TOO_LARGE(RejectionReason.PAYLOAD_TOO_LARGE);

	private final RejectionReason reason;

	ApnsFailure(RejectionReason reason) {
		this.reason = reason;
	}

	RejectionReason reason() {
		return this.reason;
	}

}
