package io.herald.infra.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * A local server for Twilio's Messages API: {@code POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded {@code To}, {@code From}
 * or {@code MessagingServiceSid}, and {@code Body}. Accepted messages are answered
 * {@code 201} with a Message resource like Twilio's ({@code status} {@code queued}) and
 * recorded, in arrival order, in {@link #messages()} and as JSON at
 * {@code GET /sandbox/messages}.
 *
 * <p>
 * Errors come in Twilio's format ({@code code}, {@code message}, {@code more_info},
 * {@code status}):
 * <ul>
 * <li>401, error 20003, unless HTTP Basic credentials equal the configured account SID
 * and auth token; 404, error 20404, for another account's path;</li>
 * <li>400, errors 21604, 21603, 21602, for a missing {@code To}, sender or
 * {@code Body};</li>
 * <li>400, error 21211, for a {@code To} that is not E.164, starts with
 * {@value #INVALID_NUMBER_PREFIX} or is marked with {@link #markInvalid(String)} (21212
 * for such a {@code From});</li>
 * <li>400, error 21610, for a recipient starting with
 * {@value #UNSUBSCRIBED_NUMBER_PREFIX} or marked with {@link #markUnsubscribed(String)}
 * (replied STOP);</li>
 * <li>any {@link TwilioFailure} on demand, before validation:
 * {@link #failNext(int, TwilioFailure)} or {@link #failUntilCleared(TwilioFailure)};
 * {@link TwilioFailure#RATE_LIMITED} carries a {@code Retry-After} once one is set with
 * {@link #retryAfter(Duration)}. twilio-java's {@code NetworkHttpClient} retries these
 * itself (Apache HttpClient retries 429 and 503 once after a second; twilio-java retries
 * 5xx three more times), and each attempt consumes one planned failure.</li>
 * </ul>
 *
 * <p>
 * A message created with a {@code StatusCallback} gets Twilio's status callbacks there,
 * as Twilio sends them: a form-encoded {@code POST} of {@code MessageSid},
 * {@code MessageStatus}, {@code AccountSid}, {@code From}, {@code To} (and
 * {@code ErrorCode} for a failure), signed in {@code X-Twilio-Signature} with the auth
 * token ({@link #signature(String, String, Map)}, Twilio's algorithm). After
 * {@link #callbackDelay(Duration)} comes {@code sent}, and after as long again
 * {@code delivered}, or {@code undelivered} (or {@code failed}) with a
 * {@link TwilioDeliveryFailure}'s code for a recipient starting with
 * {@value #UNDELIVERABLE_NUMBER_PREFIX} (30005), one marked with
 * {@link #markUndeliverable(String, TwilioDeliveryFailure)}, or on demand,
 * {@link #failDeliveryNext(int, TwilioDeliveryFailure)} and
 * {@link #failDeliveryUntilCleared(TwilioDeliveryFailure)}. Callbacks made are in
 * {@link #callbacks()} and at {@code GET /sandbox/callbacks}; {@link #replay} makes one
 * again.
 *
 * <p>
 * Thread-safe. Point twilio-java at it with an {@code HttpClient} that sends
 * {@code https://api.twilio.com} requests to {@link #baseUrl()}.
 */
public final class TwilioSandbox implements AutoCloseable {

	/**
	 * The account SID {@link #start()} accepts: {@code AC} and 32 hex digits, like a real
	 * one.
	 */
	public static final String DEFAULT_ACCOUNT_SID = "AC00000000000000000000000000000000";

	/** The auth token {@link #start()} accepts. */
	public static final String DEFAULT_AUTH_TOKEN = "sandbox-auth-token";

	/**
	 * Recipients with this prefix (a reserved fictional US range) are invalid numbers.
	 */
	public static final String INVALID_NUMBER_PREFIX = "+1555000";

	/** Recipients with this prefix have unsubscribed. */
	public static final String UNSUBSCRIBED_NUMBER_PREFIX = "+1555001";

	/**
	 * Messages to recipients with this prefix are accepted, then reported undelivered:
	 * the number is not in service (30005).
	 */
	public static final String UNDELIVERABLE_NUMBER_PREFIX = "+1555002";

	/** How long after a message its first status callback comes, unless set. */
	public static final Duration DEFAULT_CALLBACK_DELAY = Duration.ofMillis(200);

	private static final Pattern MESSAGES_PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");

	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

	/** RFC 2822, as Twilio writes {@code date_created}. */
	private static final DateTimeFormatter RFC_2822 = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String accountSid;

	private final String authToken;

	private final String expectedAuthorization;

	private final Clock clock = Clock.systemUTC();

	private final List<TwilioMessage> messages = new CopyOnWriteArrayList<>();

	private final Set<String> invalid = ConcurrentHashMap.newKeySet();

	private final Set<String> unsubscribed = ConcurrentHashMap.newKeySet();

	private final FailurePlan<TwilioFailure> failures = new FailurePlan<>();

	private volatile @Nullable Duration retryAfter;

	private final Map<String, TwilioDeliveryFailure> undeliverable = new ConcurrentHashMap<>();

	private final FailurePlan<TwilioDeliveryFailure> deliveryFailures = new FailurePlan<>();

	private final List<TwilioCallback> callbacks = new CopyOnWriteArrayList<>();

	private volatile Duration callbackDelay = DEFAULT_CALLBACK_DELAY;

	private volatile @Nullable Consumer<TwilioMessage> beforeAnswer;

	/** Makes the callbacks, one after another, in the order they are due. */
	private final ScheduledExecutorService callbackTimer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("twilio-sandbox-callbacks").daemon().factory());

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final SandboxServer server;

	private TwilioSandbox(int port, String accountSid, String authToken) {
		if (accountSid.isBlank() || authToken.isBlank()) {
			throw new IllegalArgumentException("accountSid and authToken must not be blank");
		}
		this.accountSid = accountSid;
		this.authToken = authToken;
		this.expectedAuthorization = "Basic "
				+ Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
		this.server = SandboxServer.start(port, this::handle);
	}

	/**
	 * Starts a sandbox on a free port accepting {@link #DEFAULT_ACCOUNT_SID} and
	 * {@link #DEFAULT_AUTH_TOKEN}.
	 * @return the running sandbox
	 */
	public static TwilioSandbox start() {
		return start(0, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN);
	}

	/**
	 * Starts a sandbox.
	 * @param port the port on {@code 127.0.0.1}, or {@code 0} for a free one
	 * @param accountSid the account SID, the Basic auth user name
	 * @param authToken the auth token, the Basic auth password
	 * @return the running sandbox
	 */
	public static TwilioSandbox start(int port, String accountSid, String authToken) {
		return new TwilioSandbox(port, accountSid, authToken);
	}

	/**
	 * @return the URL replacing {@code https://api.twilio.com}, without a trailing slash
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
	 * @return the account SID the sandbox accepts
	 */
	public String accountSid() {
		return this.accountSid;
	}

	/**
	 * @return a snapshot of the accepted messages, oldest first
	 */
	public List<TwilioMessage> messages() {
		return List.copyOf(this.messages);
	}

	/**
	 * Makes {@code number} an invalid phone number (error 21211 as recipient).
	 * @param number the number as sent
	 */
	public void markInvalid(String number) {
		this.invalid.add(number);
	}

	/**
	 * Makes {@code number} a recipient who replied STOP (error 21610).
	 * @param number the number as sent
	 */
	public void markUnsubscribed(String number) {
		this.unsubscribed.add(number);
	}

	/**
	 * Answers the next {@code count} message requests with {@code kind}, replacing any
	 * earlier plan.
	 * @param count how many requests, at least 1
	 * @param kind the failure
	 */
	public void failNext(int count, TwilioFailure kind) {
		this.failures.failNext(count, kind);
	}

	/**
	 * Answers every message request with {@code kind} until {@link #clearFailures()}.
	 * @param kind the failure
	 */
	public void failUntilCleared(TwilioFailure kind) {
		this.failures.failUntilCleared(kind);
	}

	/**
	 * Sets the {@code Retry-After} sent with {@link TwilioFailure#RATE_LIMITED} answers;
	 * none is sent unless set.
	 * @param retryAfter whole seconds are sent, or {@code null} to send none again
	 */
	public void retryAfter(@Nullable Duration retryAfter) {
		if (retryAfter != null && retryAfter.isNegative()) {
			throw new IllegalArgumentException("retryAfter must not be negative, but was " + retryAfter);
		}
		this.retryAfter = retryAfter;
	}

	/**
	 * Reports every later message to {@code number} undelivered with {@code kind}.
	 * @param number the number as sent
	 * @param kind the failure its status callback reports
	 */
	public void markUndeliverable(String number, TwilioDeliveryFailure kind) {
		this.undeliverable.put(number, kind);
	}

	/**
	 * Reports the next {@code count} accepted messages undelivered with {@code kind},
	 * replacing any earlier plan.
	 * @param count how many messages, at least 1
	 * @param kind the failure their status callbacks report
	 */
	public void failDeliveryNext(int count, TwilioDeliveryFailure kind) {
		this.deliveryFailures.failNext(count, kind);
	}

	/**
	 * Reports every accepted message undelivered with {@code kind} until
	 * {@link #clearFailures()}.
	 * @param kind the failure their status callbacks report
	 */
	public void failDeliveryUntilCleared(TwilioDeliveryFailure kind) {
		this.deliveryFailures.failUntilCleared(kind);
	}

	/**
	 * Sets how long after a message its {@code sent} callback comes, and after as long
	 * again its final one.
	 * @param delay not negative
	 */
	public void callbackDelay(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, but was " + delay);
		}
		this.callbackDelay = delay;
	}

	/**
	 * @return a snapshot of the status callbacks made, oldest first
	 */
	public List<TwilioCallback> callbacks() {
		return List.copyOf(this.callbacks);
	}

	/**
	 * Makes a callback again, exactly as before (the same parameters and signature), as
	 * Twilio does when it repeats one; recorded like the first.
	 * @param callback a callback this sandbox made
	 * @return the HTTP status it got, or {@code -1} when it got none
	 */
	public int replay(TwilioCallback callback) {
		return post(callback.sid(), callback.url(), callback.params(), callback.signature()).answer();
	}

	/**
	 * Twilio's request signature: the Base64 HMAC-SHA1, keyed with the auth token, of the
	 * URL followed by every parameter's name and value, sorted by name.
	 * @param authToken the account's auth token
	 * @param url the full URL called, query included
	 * @param params the form parameters
	 * @return the {@code X-Twilio-Signature} value
	 */
	public static String signature(String authToken, String url, Map<String, String> params) {
		StringBuilder data = new StringBuilder(url);
		new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every JVM supports HmacSHA1", ex);
		}
	}

	/**
	 * Runs {@code action} with each message the sandbox accepts, recorded and before its
	 * answer: a test can break something in the moment a send is taken and its sender has
	 * not heard so yet.
	 * @param action what to run on the request's thread, or {@code null} for nothing
	 */
	public void beforeAnswer(@Nullable Consumer<TwilioMessage> action) {
		this.beforeAnswer = action;
	}

	/**
	 * Cancels planned failures (of requests and of deliveries) and the
	 * {@code Retry-After} of rate-limited answers.
	 */
	public void clearFailures() {
		this.failures.clear();
		this.deliveryFailures.clear();
		this.retryAfter = null;
	}

	/**
	 * Forgets recorded messages and callbacks, marked numbers, planned failures and the
	 * action before answers.
	 */
	public void reset() {
		this.messages.clear();
		this.callbacks.clear();
		this.invalid.clear();
		this.unsubscribed.clear();
		this.undeliverable.clear();
		this.beforeAnswer = null;
		clearFailures();
	}

	@Override
	public void close() {
		this.callbackTimer.shutdownNow();
		this.server.close();
		this.http.close();
	}

	/** Schedules the status callbacks of an accepted message. */
	private void scheduleCallbacks(TwilioMessage message, String url) {
		TwilioDeliveryFailure failure = this.undeliverable.get(message.to());
		if (failure == null && message.to().startsWith(UNDELIVERABLE_NUMBER_PREFIX)) {
			failure = TwilioDeliveryFailure.UNKNOWN_DESTINATION;
		}
		if (failure == null) {
			failure = this.deliveryFailures.take().orElse(null);
		}
		long delay = this.callbackDelay.toMillis();
		TwilioDeliveryFailure outcome = failure;
		this.callbackTimer.schedule(() -> callback(message, url, "sent", null), delay, TimeUnit.MILLISECONDS);
		this.callbackTimer.schedule(
				() -> callback(message, url, (outcome != null) ? outcome.status() : "delivered", outcome), 2 * delay,
				TimeUnit.MILLISECONDS);
	}

	private void callback(TwilioMessage message, String url, String status, @Nullable TwilioDeliveryFailure failure) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("AccountSid", message.accountSid());
		params.put("ApiVersion", "2010-04-01");
		if (failure != null) {
			params.put("ErrorCode", Integer.toString(failure.code()));
		}
		if (message.from() != null) {
			params.put("From", message.from());
		}
		params.put("MessageSid", message.sid());
		params.put("MessageStatus", status);
		if (message.messagingServiceSid() != null) {
			params.put("MessagingServiceSid", message.messagingServiceSid());
		}
		params.put("SmsSid", message.sid());
		params.put("SmsStatus", status);
		params.put("To", message.to());
		post(message.sid(), url, params, signature(this.authToken, url, params));
	}

	private TwilioCallback post(String sid, String url, Map<String, String> params, String signature) {
		String form = params.entrySet()
			.stream()
			.map((param) -> URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		int answer;
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				.header("X-Twilio-Signature", signature)
				.header("User-Agent", "TwilioProxy/1.1")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build();
			answer = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException | RuntimeException ex) {
			answer = -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			answer = -1;
		}
		TwilioCallback callback = new TwilioCallback(sid, url, params.get("MessageStatus"),
				java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params)), signature, answer,
				this.clock.instant());
		this.callbacks.add(callback);
		return callback;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if (method.equals("GET") && path.equals("/sandbox/messages")) {
				SandboxHttp.sendJson(exchange, 200, this.messages.stream().map(this::toJson).toList());
				return;
			}
			if (method.equals("GET") && path.equals("/sandbox/callbacks")) {
				SandboxHttp.sendJson(exchange, 200, callbacks());
				return;
			}
			Matcher create = MESSAGES_PATH.matcher(path);
			if (!method.equals("POST") || !create.matches()) {
				TwilioErrors.send(exchange, 404, TwilioErrors.NOT_FOUND,
						"The requested resource " + path + " was not found");
				return;
			}
			if (!this.expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				TwilioErrors.send(exchange, 401, TwilioErrors.AUTHENTICATE, "Authenticate");
				return;
			}
			if (!create.group(1).equals(this.accountSid)) {
				TwilioErrors.send(exchange, 404, TwilioErrors.NOT_FOUND,
						"The requested resource " + path + " was not found");
				return;
			}
			handleCreate(exchange, form(SandboxHttp.body(exchange)));
		}
	}

	private void handleCreate(HttpExchange exchange, Map<String, String> form) throws IOException {
		var planned = this.failures.take();
		if (planned.isPresent()) {
			TwilioFailure failure = planned.get();
			Duration wait = this.retryAfter;
			Map<String, String> headers = (failure == TwilioFailure.RATE_LIMITED && wait != null)
					? Map.of("Retry-After", Long.toString(wait.toSeconds())) : Map.of();
			TwilioErrors.send(exchange, failure.httpStatus(), failure.code(), failure.message(), headers);
			return;
		}
		String to = form.get("To");
		String from = form.get("From");
		String service = form.get("MessagingServiceSid");
		String body = form.get("Body");
		if (to == null || to.isBlank()) {
			TwilioErrors.send(exchange, 400, TwilioErrors.TO_REQUIRED, "A 'To' phone number is required.");
		}
		else if ((from == null || from.isBlank()) && (service == null || service.isBlank())) {
			TwilioErrors.send(exchange, 400, TwilioErrors.FROM_REQUIRED, "A 'From' phone number is required.");
		}
		else if (body == null || body.isEmpty()) {
			TwilioErrors.send(exchange, 400, TwilioErrors.BODY_REQUIRED, "Message body is required.");
		}
		else if (isInvalid(to)) {
			TwilioErrors.send(exchange, 400, TwilioErrors.INVALID_TO,
					"The 'To' number " + to + " is not a valid phone number.");
		}
		else if (from != null && isInvalid(from)) {
			TwilioErrors.send(exchange, 400, TwilioErrors.INVALID_FROM, "The 'From' number " + from
					+ " is not a valid phone number, shortcode, or alphanumeric sender ID.");
		}
		else if (to.startsWith(UNSUBSCRIBED_NUMBER_PREFIX) || this.unsubscribed.contains(to)) {
			TwilioErrors.send(exchange, 400, TwilioErrors.UNSUBSCRIBED, "Attempt to send to unsubscribed recipient");
		}
		else {
			TwilioMessage message = new TwilioMessage(newSid(), this.accountSid, to, from, service, body,
					this.clock.instant());
			this.messages.add(message);
			Consumer<TwilioMessage> action = this.beforeAnswer;
			if (action != null) {
				action.accept(message);
			}
			SandboxHttp.sendJson(exchange, 201, toJson(message));
			String statusCallback = form.get("StatusCallback");
			if (statusCallback != null && !statusCallback.isBlank()) {
				scheduleCallbacks(message, statusCallback);
			}
		}
	}

	private boolean isInvalid(String number) {
		return !E164.matcher(number).matches() || number.startsWith(INVALID_NUMBER_PREFIX)
				|| this.invalid.contains(number);
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			form.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return form;
	}

	private static String newSid() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return "SM" + HexFormat.of().formatHex(bytes);
	}

	private Map<String, @Nullable Object> toJson(TwilioMessage message) {
		String date = RFC_2822.format(message.dateCreated());
		String uri = "/2010-04-01/Accounts/" + message.accountSid() + "/Messages/" + message.sid();
		Map<String, @Nullable Object> json = new LinkedHashMap<>();
		json.put("account_sid", message.accountSid());
		json.put("api_version", "2010-04-01");
		json.put("body", message.body());
		json.put("date_created", date);
		json.put("date_sent", null);
		json.put("date_updated", date);
		json.put("direction", "outbound-api");
		json.put("error_code", null);
		json.put("error_message", null);
		json.put("from", message.from());
		json.put("messaging_service_sid", message.messagingServiceSid());
		json.put("num_media", "0");
		json.put("num_segments", "1");
		json.put("price", null);
		json.put("price_unit", "USD");
		json.put("sid", message.sid());
		json.put("status", "queued");
		json.put("subresource_uris", Map.of("media", uri + "/Media.json"));
		json.put("to", message.to());
		json.put("uri", uri + ".json");
		return json;
	}

}
