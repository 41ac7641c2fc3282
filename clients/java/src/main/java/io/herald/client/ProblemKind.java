package io.herald.client;

/**
 * What a problem answer means for the caller, by its HTTP status; {@link Problem#code()}
 * holds the finer, stable code of the catalogue (docs/errors.md).
 */
public enum ProblemKind {

	/**
	 * {@code 400}, {@code 422}: the request breaks a rule; {@link Problem#errors()} names
	 * each field. Do not retry unchanged.
	 */
	INVALID,

	/** {@code 401}: no API key, or one Herald does not know. */
	UNAUTHORIZED,

	/** {@code 403}: the key may not do this, or the resource is another tenant's. */
	FORBIDDEN,

	/** {@code 404}: no such resource for this tenant. */
	NOT_FOUND,

	/** {@code 409}: the request conflicts with what is stored (a limit, a state). */
	CONFLICT,

	/** {@code 412}: an {@code If-Match} no longer matches; read again, then decide. */
	PRECONDITION_FAILED,

	/** {@code 413}: the body is over the limit. Do not retry unchanged. */
	TOO_LARGE,

	/**
	 * {@code 429}: over the key's rate limit; {@link HeraldApiException#retryAfter()}
	 * says when to try again.
	 */
	RATE_LIMITED,

	/**
	 * {@code 503}: Herald cannot take the request now and wrote nothing; retry after
	 * {@link HeraldApiException#retryAfter()}.
	 */
	UNAVAILABLE,

	/** Any other status. */
	OTHER;

	static ProblemKind of(int status) {
		return switch (status) {
			case 400, 422 -> INVALID;
			case 401 -> UNAUTHORIZED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 409 -> CONFLICT;
			case 412 -> PRECONDITION_FAILED;
			case 413 -> TOO_LARGE;
			case 429 -> RATE_LIMITED;
			case 503 -> UNAVAILABLE;
			default -> OTHER;
		};
	}

}
