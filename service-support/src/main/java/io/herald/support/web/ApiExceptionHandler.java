package io.herald.support.web;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into a problem detail of the {@link ErrorCode} catalogue, including
 * the ones Spring MVC raises itself (unreadable body, wrong media type, unknown path...).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiProblemException.class)
	ResponseEntity<ProblemDetail> handleApiProblem(ApiProblemException ex) {
		return respond(ex.problem(), ex.headers());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		logger.error("Unexpected failure", ex);
		return respond(ErrorCode.INTERNAL.problem("The request failed; it can be retried."), HttpHeaders.EMPTY);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ProblemDetail problem = switch (ex) {
			case HttpMessageNotReadableException unreadable -> unreadable(unreadable);
			case HttpMediaTypeNotSupportedException unsupported ->
				ErrorCode.UNSUPPORTED_MEDIA_TYPE.problem("Send the body as application/json.");
			case HttpRequestMethodNotSupportedException method ->
				ErrorCode.METHOD_NOT_ALLOWED.problem("Method " + method.getMethod() + " is not allowed here.");
			case HttpMediaTypeNotAcceptableException notAcceptable ->
				ErrorCode.NOT_ACCEPTABLE.problem("Accept application/json (or application/problem+json for errors).");
			case NoResourceFoundException notFound -> ErrorCode.NOT_FOUND.problem("No such resource.");
			default -> {
				ProblemDetail generic = (body instanceof ProblemDetail detail) ? detail
						: ProblemDetail.forStatus(statusCode);
				generic.setProperty("code", "http_" + statusCode.value());
				yield generic;
			}
		};
		HttpHeaders responseHeaders = new HttpHeaders();
		responseHeaders.putAll(headers);
		responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return ResponseEntity.status(problem.getStatus()).headers(responseHeaders).body(problem);
	}

	private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return ErrorCode.PAYLOAD_TOO_LARGE.problem(tooLarge.getMessage());
			}
		}
		return ErrorCode.MALFORMED_JSON.problem("The body is not valid JSON.");
	}

	static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
		return ResponseEntity.status(problem.getStatus())
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
