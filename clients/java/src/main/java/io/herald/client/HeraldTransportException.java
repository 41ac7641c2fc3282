package io.herald.client;

/**
 * No answer arrived from Herald (connection refused or reset, timeout), after the retries
 * the {@link RetryPolicy} allows for the request. Whether a publish that ends here was
 * accepted is unknown unless the event carries an idempotency key: send it again with the
 * same key to know.
 */
public final class HeraldTransportException extends HeraldException {

	HeraldTransportException(String message, Throwable cause) {
		super(message, cause);
	}

}
