package io.herald.support.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

import java.util.List;

/**
 * Ends a request with a problem detail from the {@link ErrorCode} catalogue.
 */
public class ApiProblemException extends RuntimeException {

	private final ErrorCode code;

	private final List<FieldProblem> fieldProblems;

	private final HttpHeaders headers;

	public ApiProblemException(ErrorCode code, String detail) {
		this(code, detail, List.of(), HttpHeaders.EMPTY);
	}

	public ApiProblemException(ErrorCode code, String detail, List<FieldProblem> fieldProblems, HttpHeaders headers) {
		super(detail, null, false, false);
		this.code = code;
		this.fieldProblems = List.copyOf(fieldProblems);
		this.headers = headers;
	}

	public ErrorCode code() {
		return this.code;
	}

	public HttpHeaders headers() {
		return this.headers;
	}

	/** The problem detail, with the offending fields as {@code errors}. */
	public ProblemDetail problem() {
		return Problems.of(this.code, getMessage(), this.fieldProblems);
	}

}
