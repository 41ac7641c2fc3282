package io.herald.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends one API call: the key, JSON both ways, the retries of the {@link RetryPolicy},
 * and a {@link HeraldApiException} for every answer that is not a success.
 */
final class Transport {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PROBLEM_TYPE_PREFIX = "urn:herald:problem:";

	private final HttpClient http;

	private final String apiKey;

	private final Duration requestTimeout;

	private final RetryPolicy retries;

	Transport(HttpClient http, String apiKey, Duration requestTimeout, RetryPolicy retries) {
		this.http = http;
		this.apiKey = apiKey;
		this.requestTimeout = requestTimeout;
		this.retries = retries;
	}

	/**
	 * One call.
	 * @param method the HTTP method
	 * @param uri where
	 * @param body the JSON body, if any
	 * @param headers extra headers (a {@code Content-Type} here replaces
	 * {@code application/json})
	 * @param repeatable whether sending the request twice does no harm, so that a call
	 * without an answer may be repeated
	 * @return the successful answer ({@code 2xx} or {@code 304})
	 */
	Answer send(String method, URI uri, @Nullable JsonNode body, Map<String, String> headers, boolean repeatable) {
		HttpRequest request = request(method, uri, body, headers);
		for (int attempt = 1;; attempt++) {
			HttpResponse<String> response;
			try {
				response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				if (repeatable && attempt < this.retries.maxAttempts()) {
					pause(this.retries.delay(attempt, Duration.ZERO));
					continue;
				}
				throw new HeraldTransportException(
						method + " " + uri.getPath() + " got no answer after " + attempt + " attempt(s): " + ex, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new HeraldTransportException(method + " " + uri.getPath() + " was interrupted", ex);
			}
			int status = response.statusCode();
			if ((status >= 200 && status < 300) || status == 304) {
				return new Answer(status, response.headers(), json(response.body()));
			}
			@Nullable Duration retryAfter = retryAfter(response.headers());
			boolean nothingWritten = status == 429 || status == 503;
			boolean gatewayFault = status == 502 || status == 504;
			Duration wait = (retryAfter != null) ? retryAfter : Duration.ZERO;
			if ((nothingWritten || (gatewayFault && repeatable)) && attempt < this.retries.maxAttempts()
					&& wait.compareTo(this.retries.maxRetryAfter()) <= 0) {
				pause(this.retries.delay(attempt, wait));
				continue;
			}
			throw new HeraldApiException(problem(status, response.body()), retryAfter);
		}
	}

	private HttpRequest request(String method, URI uri, @Nullable JsonNode body, Map<String, String> headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout(this.requestTimeout)
			.header("Authorization", "Bearer " + this.apiKey)
			.header("Accept", "application/json, application/problem+json");
		if (body != null) {
			builder.header("Content-Type", headers.getOrDefault("Content-Type", "application/json"));
		}
		headers.forEach((name, value) -> {
			if (!name.equalsIgnoreCase("Content-Type")) {
				builder.header(name, value);
			}
		});
		HttpRequest.BodyPublisher publisher = (body != null)
				? HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))
				: HttpRequest.BodyPublishers.noBody();
		return builder.method(method, publisher).build();
	}

	private static @Nullable JsonNode json(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw new HeraldTransportException("Herald answered with a body that is not JSON", ex);
		}
	}

	/**
	 * The answer's problem detail; an answer without one (a proxy's page) gets one made
	 * from its status.
	 */
	static Problem problem(int status, @Nullable String body) {
		JsonNode node = null;
		try {
			node = (body != null && !body.isBlank()) ? JSON.readTree(body) : null;
		}
		catch (JacksonException ex) {
			// Not JSON: described by the status alone below.
		}
		return problem(status, node);
	}

	/** A problem detail read as JSON, or made from the status when it is not one. */
	static Problem problem(int status, @Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			return new Problem("about:blank", "HTTP " + status, status, null, "http_" + status, List.of());
		}
		String type = JsonFields.text(node, "type", "about:blank");
		String code = JsonFields.text(node, "code",
				type.startsWith(PROBLEM_TYPE_PREFIX) ? type.substring(PROBLEM_TYPE_PREFIX.length()) : "http_" + status);
		List<Problem.FieldError> errors = new ArrayList<>();
		for (JsonNode error : node.path("errors")) {
			errors.add(
					new Problem.FieldError(JsonFields.text(error, "field", ""), JsonFields.text(error, "message", "")));
		}
		JsonNode detail = node.path("detail");
		return new Problem(type, JsonFields.text(node, "title", "HTTP " + status), node.path("status").asInt(status),
				detail.isString() ? detail.stringValue() : null, code, errors);
	}

	/** {@code Retry-After} as seconds or as an HTTP date (RFC 9110, section 10.2.3). */
	static @Nullable Duration retryAfter(HttpHeaders headers) {
		String value = headers.firstValue("Retry-After").map(String::strip).orElse(null);
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
		}
		catch (NumberFormatException ex) {
			try {
				Duration until = Duration.between(ZonedDateTime.now(),
						ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static void pause(Duration delay) {
		try {
			Thread.sleep(delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HeraldTransportException("Interrupted while waiting to retry", ex);
		}
	}

	/** A successful answer. */
	record Answer(int status, HttpHeaders headers, @Nullable JsonNode body) {

		JsonNode json() {
			if (this.body == null) {
				throw new HeraldTransportException("Herald answered " + this.status + " without the body it documents",
						new IOException("empty body"));
			}
			return this.body;
		}

		@Nullable String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

}
