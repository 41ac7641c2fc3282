package io.herald.routing;

import io.herald.events.JsonCodec;
import io.herald.infra.FreePorts;
import io.herald.infra.SharedInfra;
import io.herald.support.apikey.ApiKeyRegistry;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.unsubscribe.UnsubscribeProperties;
import org.jspecify.annotations.Nullable;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Runs routing instances against the shared test broker and talks to them over real HTTP,
 * as a product service would. Every instance gets the test tenants' API keys, its own
 * state directory, and the application id its caller chooses (one per test class, so that
 * test classes never share Kafka Streams state).
 */
public final class RoutingTestSupport {

	/** Tenant {@code acme}, every scope. */
	public static final String ACME_KEY = "acme-routing-key-0123456789";

	/**
	 * The routing instances' shared token ({@code herald.routing.internal-token}) in
	 * tests.
	 */
	public static final String INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

	/**
	 * The gateway's token for users' preferences
	 * ({@code herald.routing.preferences-token}) in tests.
	 */
	public static final String PREFERENCES_TOKEN = "test-preferences-token-0123456789abcdef";

	/**
	 * The key unsubscribe links are signed with in tests
	 * ({@code herald.unsubscribe.signing-key}).
	 */
	public static final String UNSUBSCRIBE_KEY = "test-unsubscribe-signing-key-0123456789abcdef";

	/** Tenant {@code acme}, {@code USERS_READ} only. */
	public static final String ACME_READER_KEY = "acme-routing-reader-key-0123456789";

	/** Tenant {@code acme}, {@code EVENTS_WRITE} only: no access to the user API. */
	public static final String ACME_EVENTS_KEY = "acme-routing-events-key-0123456789";

	/**
	 * Tenant {@code acme}, {@code TEMPLATES_READ} only: reads and previews templates,
	 * writes none.
	 */
	public static final String ACME_TEMPLATE_READER_KEY = "acme-template-reader-key-0123456789";

	/**
	 * Tenant {@code initech}, every scope: for a test class whose tenant's templates no
	 * other class writes. The template catalog topic is shared by every routing
	 * application of a test run, while each class's application folds its own commands.
	 */
	public static final String INITECH_KEY = "initech-routing-key-0123456789";

	/** Tenant {@code globex}, every scope. */
	public static final String GLOBEX_KEY = "globex-routing-key-0123456789";

	/**
	 * Partitions per topic of the instances' shared broker
	 * ({@code herald.kafka.partitions}), as in the topology tests and the gateway's: a
	 * third of the default's twelve. A test's one or two instances read every partition
	 * either way; with fewer, each new application starts, restores and commits a third
	 * of the tasks.
	 */
	static final int PARTITIONS = 4;

	/** No request of a test may take longer than this: no request may hang. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private RoutingTestSupport() {
	}

	/** An application id no other test uses. */
	public static String uniqueApplicationId(Class<?> testClass) {
		return "routing-" + testClass.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Signs unsubscribe links as delivery would, with {@link #UNSUBSCRIBE_KEY}. */
	public static UnsubscribeLinks unsubscribeLinks() {
		return new UnsubscribeLinks(new UnsubscribeProperties(UNSUBSCRIBE_KEY, null, null, null), Clock.systemUTC());
	}

	/**
	 * The properties of one instance: the shared broker, its topics of
	 * {@link #PARTITIONS}, the application id, a fresh state directory, the test tenants'
	 * keys and the unsubscribe links' key. A {@code server.port} is the caller's choice.
	 */
	public static Map<String, Object> properties(String applicationId) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", SharedInfra.kafka().bootstrapServers());
		properties.put("spring.kafka.streams.application-id", applicationId);
		properties.put("spring.kafka.streams.state-dir", stateDirectory(applicationId).toString());
		properties.put("herald.kafka.partitions", PARTITIONS);
		properties.put("herald.routing.internal-token", INTERNAL_TOKEN);
		properties.put("herald.routing.preferences-token", PREFERENCES_TOKEN);
		properties.put("herald.unsubscribe.signing-key", UNSUBSCRIBE_KEY);
		String[][] keys = { { "acme", "acme", ACME_KEY, "" }, { "acme", "acme-reader", ACME_READER_KEY, "USERS_READ" },
				{ "acme", "acme-events", ACME_EVENTS_KEY, "EVENTS_WRITE" }, { "globex", "globex", GLOBEX_KEY, "" },
				{ "acme", "acme-template-reader", ACME_TEMPLATE_READER_KEY, "TEMPLATES_READ" },
				{ "initech", "initech", INITECH_KEY, "" } };
		for (int i = 0; i < keys.length; i++) {
			String prefix = "herald.api-keys[" + i + "].";
			properties.put(prefix + "tenant", keys[i][0]);
			properties.put(prefix + "name", keys[i][1]);
			properties.put(prefix + "sha256", ApiKeyRegistry.sha256(keys[i][2]));
			if (!keys[i][3].isEmpty()) {
				properties.put(prefix + "scopes", keys[i][3]);
			}
		}
		return properties;
	}

	/** Registers {@link #properties(String)} for a {@code @SpringBootTest}. */
	public static void registerProperties(DynamicPropertyRegistry registry, String applicationId) {
		Map<String, Object> properties = properties(applicationId);
		properties.forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * Starts an instance on a port, its management port a free one unless the properties
	 * name it; the caller closes it. The properties are passed as command-line arguments,
	 * so that they win over {@code application.yml}.
	 */
	public static ConfigurableApplicationContext start(int port, Map<String, Object> properties) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=" + port);
		if (!properties.containsKey("management.server.port")) {
			arguments.add("--management.server.port=" + FreePorts.find());
		}
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return new SpringApplicationBuilder(RoutingApplication.class).run(arguments.toArray(String[]::new));
	}

	/**
	 * Waits until both Kafka Streams clients of every instance (main and critical) are
	 * {@code RUNNING}.
	 */
	public static void awaitRunning(Duration timeout, ApplicationContext... instances) {
		await().atMost(timeout).until(() -> {
			for (ApplicationContext instance : instances) {
				for (StreamsBuilderFactoryBean factory : instance.getBeansOfType(StreamsBuilderFactoryBean.class)
					.values()) {
					KafkaStreams streams = factory.getKafkaStreams();
					if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
						return false;
					}
				}
			}
			return true;
		});
	}

	/** Talks to the instance on a port with an API key. */
	public static Api api(int port, String apiKey) {
		return new Api("http://127.0.0.1:" + port, apiKey);
	}

	private static Path stateDirectory(String applicationId) {
		try {
			Path base = Files.isDirectory(Path.of("target")) ? Path.of("target", "kafka-streams-state")
					: Path.of(System.getProperty("java.io.tmpdir"));
			Files.createDirectories(base);
			return Files.createTempDirectory(base, applicationId + "-").toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An HTTP client for one instance and one API key ({@code null}: no key).
	 *
	 * @param baseUrl the instance, such as {@code http://127.0.0.1:8081}
	 * @param apiKey sent as {@code Authorization: Bearer <key>}, unless {@code null}
	 */
	public record Api(String baseUrl, @Nullable String apiKey) {

		public Response get(String path) {
			return send(request(path).GET());
		}

		public Response put(String path, String json) {
			return send(request(path).header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(json)));
		}

		public Response post(String path, String json) {
			return send(request(path).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json)));
		}

		public Response delete(String path) {
			return send(request(path).DELETE());
		}

		/**
		 * A request with the key (if any) and a timeout, for anything the methods above
		 * cannot send.
		 */
		public HttpRequest.Builder request(String path) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
				.timeout(REQUEST_TIMEOUT);
			return (this.apiKey != null) ? request.header("Authorization", "Bearer " + this.apiKey) : request;
		}

		public Response send(HttpRequest.Builder request) {
			try {
				return new Response(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/** An HTTP response, its body readable as JSON. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public JsonNode json() {
			return JsonCodec.MAPPER.readTree(this.raw.body());
		}

		public @Nullable String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.raw.statusCode() + " " + this.raw.body();
		}

	}

}
