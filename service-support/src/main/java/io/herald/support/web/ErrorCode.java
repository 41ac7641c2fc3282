package io.herald.support.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.Locale;

/**
 * The catalogue of errors the API answers with, each with a stable code, an HTTP status
 * and a title. Documented in {@code docs/errors.md}; a code never changes its meaning.
 *
 * <p>
 * Every error is an RFC 9457 problem detail whose {@code type} is
 * {@code urn:herald:problem:<code>} and which carries the code again as {@code code}.
 */
public enum ErrorCode {

	UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Missing or unknown API key"),

	FORBIDDEN(HttpStatus.FORBIDDEN, "The API key may not do this"),

	INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "Missing, invalid or expired user token"),

	OPERATOR_UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Missing operator or internal token"),

	OPERATOR_FORBIDDEN(HttpStatus.FORBIDDEN, "The operator or internal token is wrong or not configured"),

	TOO_MANY_CONNECTIONS(HttpStatus.TOO_MANY_REQUESTS, "The user holds too many connections"),

	ORIGIN_NOT_ALLOWED(HttpStatus.FORBIDDEN, "The request's origin is not allowed"),

	INVALID_SIGNATURE(HttpStatus.FORBIDDEN, "The request's signature is missing or wrong"),
	INVALID_LINK(HttpStatus.FORBIDDEN, "The link was not made by Herald, was altered, or has expired"),

	INVALID_EVENT(HttpStatus.BAD_REQUEST, "The event is invalid"),

	INVALID_BATCH(HttpStatus.BAD_REQUEST, "The batch is invalid"),

	INVALID_REQUEST(HttpStatus.BAD_REQUEST, "The request is invalid"),

	INVALID_REQUEST_TARGET(HttpStatus.BAD_REQUEST, "The request path or query is not in canonical form"),

	MALFORMED_JSON(HttpStatus.BAD_REQUEST, "The body is not valid JSON"),

	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "The body is too large"),

	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The body must be application/json"),

	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "No acceptable representation"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED, "The resource is not as If-Match requires"),

	TOO_MANY_TEMPLATES(HttpStatus.CONFLICT, "The tenant has as many templates as it may have"),

	TOO_MANY_WEBHOOKS(HttpStatus.CONFLICT, "The tenant has as many webhook endpoints as it may have"),

	TOO_MANY_DIGESTS(HttpStatus.CONFLICT, "The tenant has as many digest settings as it may have"),

	RENDER_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "The template could not be rendered"),

	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "The API key's rate limit is exceeded"),

	EVENT_LOG_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "The event log cannot accept events right now"),

	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "A service this request needs is unavailable right now"),

	INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private static final String TYPE_PREFIX = "urn:herald:problem:";

	private final HttpStatus status;

	private final String title;

	private final String code = name().toLowerCase(Locale.ROOT);

	ErrorCode(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
	}

	public HttpStatus status() {
		return this.status;
	}

	/** The stable code, for example {@code invalid_event}. */
	public String code() {
		return this.code;
	}

	/** A problem detail of this kind. */
	public ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, detail);
		problem.setType(URI.create(TYPE_PREFIX + this.code));
		problem.setTitle(this.title);
		problem.setProperty("code", this.code);
		return problem;
	}

}
