package io.herald.ingestion;

import io.herald.events.JsonCodec;
import io.herald.support.apikey.ApiKeyRegistry;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Talks to an ingestion service over real HTTP, as a product service would, with the test
 * tenants' API keys.
 */
public final class TestApi {

	/** Tenant {@code acme}, every scope. */
	public static final String ACME_KEY = "acme-test-key-0123456789";

	/** Tenant {@code acme}, read-only. */
	public static final String ACME_READER_KEY = "acme-reader-key-0123456789";

	/** Tenant {@code acme}, one event per second. */
	public static final String ACME_LIMITED_KEY = "acme-limited-key-0123456789";

	/** Tenant {@code globex}, every scope. */
	public static final String GLOBEX_KEY = "globex-test-key-0123456789";

	/** No request of a test may take longer than this: no request may hang. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Supplier<String> baseUrl;

	public TestApi(Supplier<String> baseUrl) {
		this.baseUrl = baseUrl;
	}

	public TestApi(int port) {
		this(() -> "http://127.0.0.1:" + port);
	}

	/** Registers the test tenants' keys (hashed) and the infrastructure's addresses. */
	public static void registerProperties(DynamicPropertyRegistry registry, Supplier<Object> kafka,
			Supplier<Object> redisPort) {
		registry.add("spring.kafka.bootstrap-servers", kafka);
		registry.add("spring.data.redis.port", redisPort);
		String[][] keys = { { "acme", "acme", ACME_KEY, "" }, { "acme", "acme-reader", ACME_READER_KEY, "EVENTS_READ" },
				{ "acme", "acme-limited", ACME_LIMITED_KEY, "" }, { "globex", "globex", GLOBEX_KEY, "" } };
		for (int i = 0; i < keys.length; i++) {
			String prefix = "herald.api-keys[" + i + "].";
			String[] key = keys[i];
			registry.add(prefix + "tenant", () -> key[0]);
			registry.add(prefix + "name", () -> key[1]);
			registry.add(prefix + "sha256", () -> ApiKeyRegistry.sha256(key[2]));
			if (!key[3].isEmpty()) {
				registry.add(prefix + "scopes", () -> key[3]);
			}
		}
		registry.add("herald.api-keys[2].events-per-second", () -> "1");
		registry.add("herald.ingestion.rate-limit.events-per-second", () -> "100000");
		// Webhook receivers of the tests listen on 127.0.0.1, and retry within a test's
		// patience.
		registry.add("herald.ingestion.webhooks.allow-private-networks", () -> "true");
		registry.add("herald.ingestion.webhooks.attempts", () -> "4");
		registry.add("herald.ingestion.webhooks.initial-delay", () -> "200ms");
		registry.add("herald.ingestion.webhooks.multiplier", () -> "2");
		registry.add("herald.ingestion.webhooks.max-delay", () -> "1s");
		registry.add("herald.ingestion.webhooks.call-timeout", () -> "2s");
		registry.add("herald.ingestion.webhooks.concurrency-per-endpoint", () -> "2");
	}

	public Response post(String path, String apiKey, String body) {
		return send(request(path).header("Authorization", "Bearer " + apiKey)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	public Response delete(String path, String apiKey) {
		return send(request(path).header("Authorization", "Bearer " + apiKey).DELETE());
	}

	public Response get(String path, String apiKey) {
		return send(request(path).header("Authorization", "Bearer " + apiKey).GET());
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl.get() + path)).timeout(REQUEST_TIMEOUT);
	}

	/** A minimal valid event for one user, as JSON. */
	public static String event(String user) {
		return """
				{"type": "order.shipped", "recipients": {"users": ["%s"]},
				 "content": {"title": "Shipped", "body": "Your order is on its way"}}""".formatted(user);
	}

	/** A minimal valid event with an idempotency key, as JSON. */
	public static String event(String user, String idempotencyKey) {
		return """
				{"type": "order.shipped", "recipients": {"users": ["%s"]}, "idempotencyKey": "%s",
				 "content": {"title": "Shipped", "body": "Your order is on its way"}}""".formatted(user,
				idempotencyKey);
	}

	/** A JSON text as a tree. */
	public static JsonNode json(String text) {
		return JsonCodec.MAPPER.readTree(text);
	}

	/** An HTTP response with its body as JSON. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public JsonNode json() {
			return JsonCodec.MAPPER.readTree(this.raw.body());
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public String body() {
			return this.raw.body();
		}

	}

}
