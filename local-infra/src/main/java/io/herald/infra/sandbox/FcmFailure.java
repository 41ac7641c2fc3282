package io.herald.infra.sandbox;

/**
 * Errors {@link FcmSandbox} answers the way the FCM HTTP v1 API does: a
 * {@code google.rpc.Status} body whose {@code details} hold an {@code FcmError} with
 * {@link #errorCode()}. The HTTP status, the RPC status and the FCM error code are the
 * pairs the real API uses, which firebase-admin maps to its {@code MessagingErrorCode} of
 * the same name.
 */
public enum FcmFailure {

	/**
	 * The token is no longer valid (app uninstalled, token expired): a permanent
	 * rejection.
	 */
	UNREGISTERED(404, "NOT_FOUND", "Requested entity was not found."),

	/** The request is malformed: a permanent rejection. */
	INVALID_ARGUMENT(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),

	/**
	 * The sending rate is over quota; answered with {@code Retry-After}: a temporary
	 * failure.
	 */
	QUOTA_EXCEEDED(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Messages'."),

	/** The service is overloaded: a temporary failure. */
	UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),

	/** An unknown server error: a temporary failure. */
	INTERNAL(500, "INTERNAL", "Internal error encountered.");

	private final int httpStatus;

	private final String rpcStatus;

	private final String defaultMessage;

	FcmFailure(int httpStatus, String rpcStatus, String defaultMessage) {
		this.httpStatus = httpStatus;
		this.rpcStatus = rpcStatus;
		this.defaultMessage = defaultMessage;
	}

	/**
	 * @return the HTTP status code of the answer
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * @return the {@code google.rpc.Code} name in {@code error.status}
	 */
	public String rpcStatus() {
		return this.rpcStatus;
	}

	/**
	 * @return the {@code FcmError.errorCode} in {@code error.details}
	 */
	public String errorCode() {
		return name();
	}

	String defaultMessage() {
		return this.defaultMessage;
	}

}
