package io.herald.ingestion.ingest;

import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.PayloadTooLargeException;
import io.herald.support.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Answers {@code POST /v1/events}, the request every targeted notification starts with,
 * without Spring MVC: after every other filter (the firewall, the API key, the body
 * limit, the request's observation), it reads the body, publishes through
 * {@link EventController#publish(ApiKey, byte[])} and writes the receipt, with the
 * status, JSON and problems the MVC endpoint answers with. Spring MVC's dispatch,
 * argument resolution, content negotiation and message converters took about as much of a
 * single POST's CPU as the publishing itself (docs/benchmarks.md).
 *
 * <p>
 * It takes only the requests whose answer cannot depend on negotiation: the path as sent
 * is exactly {@value #PATH}, the {@code Content-Type} is {@code application/json} (with
 * any parameters), and the {@code Accept} header is absent, {@code *}{@code /*},
 * {@code application/json} or that and {@code application/problem+json}. Every other
 * request goes on to Spring MVC's endpoint, which answers it as before ({@code 415},
 * {@code 406}, another spelling of the path).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class SingleEventFilter extends OncePerRequestFilter {

	/** The path this filter answers. */
	static final String PATH = "/v1/events";

	/**
	 * The {@code Accept} headers, without spaces and in lower case, for which Spring MVC
	 * answers a receipt as {@code application/json}.
	 */
	private static final Set<String> DECIDED_ACCEPTS = Set.of("", "*/*", MediaType.APPLICATION_JSON_VALUE,
			MediaType.APPLICATION_JSON_VALUE + "," + MediaType.APPLICATION_PROBLEM_JSON_VALUE);

	private static final Logger logger = LoggerFactory.getLogger(SingleEventFilter.class);

	private final EventController events;

	private final JsonMapper json;

	private final ProblemWriter problems;

	SingleEventFilter(EventController events, JsonMapper json, ProblemWriter problems) {
		this.events = events;
		this.json = json;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && (request.getContextPath() + PATH).equals(request.getRequestURI())
				&& isJson(request.getContentType()) && acceptsJson(request.getHeader(HttpHeaders.ACCEPT)));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The request's metrics and span name the endpoint, as Spring MVC's would.
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(PATH));
		EventController.Answer answer;
		try {
			ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_WRITE);
			answer = this.events.publish(key, body(request));
		}
		catch (ApiProblemException ex) {
			answer(response, ex);
			return;
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure", ex);
			ServerHttpObservationFilter.findObservationContext(request).ifPresent((context) -> context.setError(ex));
			answer(response, new ApiProblemException(ErrorCode.INTERNAL, "The request failed; it can be retried."));
			return;
		}
		byte[] receipt = this.json.writeValueAsBytes(answer.receipt());
		response.setStatus(answer.status().value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(receipt.length);
		response.getOutputStream().write(receipt);
	}

	/**
	 * The body, refused as Spring MVC refuses a body it cannot read: over the body limit,
	 * empty, or cut off.
	 */
	private static byte[] body(HttpServletRequest request) {
		byte[] body;
		try {
			body = request.getInputStream().readAllBytes();
		}
		catch (PayloadTooLargeException ex) {
			throw new ApiProblemException(ErrorCode.PAYLOAD_TOO_LARGE, ex.getMessage());
		}
		catch (IOException ex) {
			throw malformed();
		}
		if (body.length == 0) {
			throw malformed();
		}
		return body;
	}

	private static ApiProblemException malformed() {
		return new ApiProblemException(ErrorCode.MALFORMED_JSON, "The body is not valid JSON.");
	}

	private void answer(HttpServletResponse response, ApiProblemException ex) throws IOException {
		ex.headers().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		this.problems.write(response, ex.problem());
	}

	/**
	 * Whether a {@code Content-Type} is one the MVC endpoint consumes:
	 * {@code application/json}, with any parameters.
	 */
	static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		if (MediaType.APPLICATION_JSON_VALUE.equalsIgnoreCase(contentType)) {
			return true;
		}
		try {
			return MediaType.APPLICATION_JSON.includes(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * Whether an {@code Accept} header leaves Spring MVC no choice but
	 * {@code application/json} for a receipt: absent, empty, {@code *}{@code /*},
	 * {@code application/json} alone, or followed by {@code application/problem+json}
	 * (what the Java client sends), in any case and spacing.
	 */
	static boolean acceptsJson(@Nullable String accept) {
		if (accept == null) {
			return true;
		}
		return DECIDED_ACCEPTS.contains(accept.replace(" ", "").toLowerCase(Locale.ROOT));
	}

}
