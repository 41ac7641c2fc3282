package io.herald.infra.sandbox;

/**
 * Errors {@link TwilioSandbox} answers on demand, with Twilio's error codes and HTTP
 * statuses. All are temporary: a client should retry later.
 */
public enum TwilioFailure {

	/** Too many requests (error 20429, HTTP 429). */
	RATE_LIMITED(429, 20429, "Too Many Requests"),

	/** An internal error (error 20500, HTTP 500). */
	INTERNAL_ERROR(500, 20500, "An internal server error has occurred"),

	/** The service is unavailable (error 20503, HTTP 503). */
	SERVICE_UNAVAILABLE(503, 20503, "Service Unavailable");

	private final int httpStatus;

	private final int code;

	private final String message;

	TwilioFailure(int httpStatus, int code, String message) {
		this.httpStatus = httpStatus;
		this.code = code;
		this.message = message;
	}

	/**
	 * @return the HTTP status code of the answer
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * @return Twilio's error code in the answer's {@code code} field
	 */
	public int code() {
		return this.code;
	}

	String message() {
		return this.message;
	}

}
