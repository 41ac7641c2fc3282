package io.herald.infra.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A local server for the Firebase Cloud Messaging HTTP v1 API: {@code POST
 * /v1/projects/{project}/messages:send}. Accepted messages are answered with {@code 200
 * {"name": "projects/{project}/messages/{id}"}} and recorded, in arrival order, in
 * {@link #messages()} and as JSON at {@code GET /sandbox/messages}.
 *
 * <p>
 * Errors come as the real API sends them (see {@link FcmFailure}):
 * <ul>
 * <li>{@code 401 UNAUTHENTICATED} without an {@code Authorization: Bearer} header (any
 * token is accepted);</li>
 * <li>{@code INVALID_ARGUMENT} for a body that is not JSON, has no {@code message}
 * object, no or an empty {@code token}, or {@code data} values that are not strings
 * (topic and condition sends are not modelled);</li>
 * <li>{@code UNREGISTERED} for tokens starting with {@value #DEAD_TOKEN_PREFIX} or marked
 * with {@link #markUnregistered(String)};</li>
 * <li>any {@link FcmFailure} on demand: {@link #failNext(int, FcmFailure)} or
 * {@link #failUntilCleared(FcmFailure)}. A planned failure is answered before the request
 * is validated, as an overloaded server would.</li>
 * </ul>
 * {@code QUOTA_EXCEEDED} and {@code UNAVAILABLE} carry {@code Retry-After}
 * ({@link #retryAfter(Duration)}, {@link #DEFAULT_RETRY_AFTER} by default).
 * firebase-admin itself retries {@code UNAVAILABLE} (four times, honouring
 * {@code Retry-After}) but not {@code INTERNAL} or {@code QUOTA_EXCEEDED}; each attempt
 * consumes one planned failure.
 *
 * <p>
 * Thread-safe. Point firebase-admin at it with an {@code HttpTransport} that sends
 * {@code https://fcm.googleapis.com} requests to {@link #baseUrl()}.
 */
public final class FcmSandbox implements AutoCloseable {

	/** Tokens with this prefix are always answered {@code UNREGISTERED}. */
	public static final String DEAD_TOKEN_PREFIX = "dead-";

	/**
	 * {@code Retry-After} on {@code QUOTA_EXCEEDED} and {@code UNAVAILABLE} unless
	 * changed: the shortest whole-second delay, so that SDK retries in tests stay short
	 * (firebase-admin treats zero as absent and falls back to exponential backoff from
	 * 500 ms).
	 */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

	private static final Pattern SEND_PATH = Pattern.compile("/v1/projects/([^/]+)/messages:send");

	private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

	private final List<FcmMessage> messages = new CopyOnWriteArrayList<>();

	private final Set<String> unregistered = ConcurrentHashMap.newKeySet();

	private final FailurePlan<FcmFailure> failures = new FailurePlan<>();

	private volatile Duration retryAfter = DEFAULT_RETRY_AFTER;

	private final SandboxServer server;

	private FcmSandbox(int port) {
		this.server = SandboxServer.start(port, this::handle);
	}

	/**
	 * Starts a sandbox on a free port.
	 * @return the running sandbox
	 */
	public static FcmSandbox start() {
		return new FcmSandbox(0);
	}

	/**
	 * Starts a sandbox on the given port of {@code 127.0.0.1}.
	 * @param port the port, or {@code 0} for a free one
	 * @return the running sandbox
	 */
	public static FcmSandbox start(int port) {
		return new FcmSandbox(port);
	}

	/**
	 * @return the URL replacing {@code https://fcm.googleapis.com}, without a trailing
	 * slash
	 */
	public String baseUrl() {
		return this.server.baseUrl();
	}

	/**
	 * @return the port the sandbox listens on
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * @return a snapshot of the accepted messages, oldest first
	 */
	public List<FcmMessage> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * Makes every later send to {@code token} fail with {@code UNREGISTERED}, as after an
	 * app is uninstalled.
	 * @param token the registration token
	 */
	public void markUnregistered(String token) {
		this.unregistered.add(token);
	}

	/**
	 * Answers the next {@code count} send requests with {@code kind}, replacing any
	 * earlier plan.
	 * @param count how many requests, at least 1
	 * @param kind the failure
	 */
	public void failNext(int count, FcmFailure kind) {
		this.failures.failNext(count, kind);
	}

	/**
	 * Answers every send request with {@code kind} until {@link #clearFailures()}.
	 * @param kind the failure
	 */
	public void failUntilCleared(FcmFailure kind) {
		this.failures.failUntilCleared(kind);
	}

	/** Cancels planned failures; unregistered tokens stay unregistered. */
	public void clearFailures() {
		this.failures.clear();
	}

	/**
	 * Sets the {@code Retry-After} sent with temporary failures.
	 * @param retryAfter whole seconds are sent
	 */
	public void retryAfter(Duration retryAfter) {
		if (retryAfter.isNegative()) {
			throw new IllegalArgumentException("retryAfter must not be negative, but was " + retryAfter);
		}
		this.retryAfter = retryAfter;
	}

	/** Forgets recorded messages, unregistered tokens and planned failures. */
	public void reset() {
		this.messages.clear();
		this.unregistered.clear();
		this.failures.clear();
	}

	@Override
	public void close() {
		this.server.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if (method.equals("GET") && path.equals("/sandbox/messages")) {
				SandboxHttp.sendJson(exchange, 200, this.messages.stream().map(FcmSandbox::toJson).toList());
				return;
			}
			Matcher send = SEND_PATH.matcher(path);
			if (!method.equals("POST") || !send.matches()) {
				sendStatus(exchange, 404, "NOT_FOUND", "The requested URL " + path + " was not found.");
				return;
			}
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			if (authorization == null || !authorization.startsWith("Bearer ")) {
				sendStatus(exchange, 401, "UNAUTHENTICATED", "Request is missing required authentication credential.");
				return;
			}
			handleSend(exchange, send.group(1), SandboxHttp.body(exchange));
		}
	}

	private void handleSend(HttpExchange exchange, String project, String body) throws IOException {
		var planned = this.failures.take();
		if (planned.isPresent()) {
			sendFailure(exchange, planned.get(), planned.get().defaultMessage());
			return;
		}
		JsonNode message = parseMessage(body);
		if (message == null) {
			sendFailure(exchange, FcmFailure.INVALID_ARGUMENT, "Invalid JSON payload received: no message object.");
			return;
		}
		String token = text(message, "token");
		if (token == null || token.isBlank()) {
			sendFailure(exchange, FcmFailure.INVALID_ARGUMENT,
					"The registration token is not a valid FCM registration token");
			return;
		}
		Map<String, String> data = data(message.get("data"));
		if (data == null) {
			sendFailure(exchange, FcmFailure.INVALID_ARGUMENT,
					"Invalid value at 'message.data': values must be strings.");
			return;
		}
		if (token.startsWith(DEAD_TOKEN_PREFIX) || this.unregistered.contains(token)) {
			sendFailure(exchange, FcmFailure.UNREGISTERED, FcmFailure.UNREGISTERED.defaultMessage());
			return;
		}
		String name = "projects/" + project + "/messages/0:" + UUID.randomUUID().toString().replace("-", "");
		JsonNode notification = message.get("notification");
		String title = (notification != null) ? text(notification, "title") : null;
		String text = (notification != null) ? text(notification, "body") : null;
		this.messages
			.add(new FcmMessage(name, project, token, title, text, data, message.toString(), java.time.Instant.now()));
		SandboxHttp.sendJson(exchange, 200, Map.of("name", name));
	}

	private static @Nullable JsonNode parseMessage(String body) {
		try {
			JsonNode message = SandboxHttp.JSON.readTree(body).get("message");
			return (message != null && message.isObject()) ? message : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable Map<String, String> data(@Nullable JsonNode node) {
		Map<String, String> data = new LinkedHashMap<>();
		if (node == null || node.isNull()) {
			return data;
		}
		if (!node.isObject()) {
			return null;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			if (!entry.getValue().isString()) {
				return null;
			}
			data.put(entry.getKey(), entry.getValue().asString());
		}
		return data;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private void sendFailure(HttpExchange exchange, FcmFailure failure, String message) throws IOException {
		Map<String, Object> error = error(failure.httpStatus(), failure.rpcStatus(), message);
		error.put("details", List.of(Map.of("@type", FCM_ERROR_TYPE, "errorCode", failure.errorCode())));
		boolean temporary = failure == FcmFailure.QUOTA_EXCEEDED || failure == FcmFailure.UNAVAILABLE;
		Map<String, String> headers = temporary ? Map.of("Retry-After", String.valueOf(this.retryAfter.toSeconds()))
				: Map.of();
		SandboxHttp.sendJson(exchange, failure.httpStatus(), Map.of("error", error), headers);
	}

	private static void sendStatus(HttpExchange exchange, int code, String status, String message) throws IOException {
		SandboxHttp.sendJson(exchange, code, Map.of("error", error(code, status, message)));
	}

	private static Map<String, Object> error(int code, String status, String message) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		error.put("status", status);
		return error;
	}

	private static Map<String, Object> toJson(FcmMessage message) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", message.name());
		json.put("project", message.project());
		json.put("token", message.token());
		json.put("title", message.title());
		json.put("body", message.body());
		json.put("data", message.data());
		json.put("message", SandboxHttp.JSON.readTree(message.json()));
		return json;
	}

}
