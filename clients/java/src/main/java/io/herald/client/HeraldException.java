package io.herald.client;

/**
 * A call to Herald did not succeed: either Herald answered with a problem
 * ({@link HeraldApiException}) or no answer arrived ({@link HeraldTransportException}).
 */
public abstract sealed class HeraldException extends RuntimeException
		permits HeraldApiException, HeraldTransportException {

	HeraldException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
		super(message, cause);
	}

}
