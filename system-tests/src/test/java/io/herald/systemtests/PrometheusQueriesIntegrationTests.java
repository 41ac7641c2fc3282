package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import io.herald.events.Lane;
import io.herald.events.Topics;
import io.herald.infra.PrometheusServer;
import io.herald.infra.TopicContents;
import io.herald.localstack.DemoHints;
import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.ProviderSandboxes;
import io.herald.localstack.Service;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboards and alerts cannot drift from the code: a real Prometheus scrapes the
 * running platform (the packaged services, on the repository's
 * {@code deploy/prometheus/prometheus.yml} with local targets) and evaluates the
 * repository's {@code alerts.yml}, while a little traffic covers what the panels show:
 * events on every channel and priority, a client that acks and resumes, providers failing
 * for a while (retries, breaker), a request delivered twice (the ledger), records that
 * are not requests (dead letters) and refused API calls. Then every query of every
 * Grafana dashboard and the query of every alert (its expression without the threshold)
 * must parse and return data, and every rule must evaluate without error.
 */
class PrometheusQueriesIntegrationTests {

	private static final Pattern COMPARISON = Pattern.compile("(?s)(.+)\\s(?:>|<|>=|<=|==|!=)\\s*[0-9.]+\\s*$");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_]+\\}?");

	/**
	 * Grafana's variables as an operator with every tenant and channel selected would see
	 * them.
	 */
	private static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "2m", "$tenant", ".*", "$channel",
			".*");

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	/** A delivery request sent to a retry topic, as delivery counts it. */
	private static final Pattern RETRIED = Pattern
		.compile("herald_delivery_requests_total\\{[^}]*outcome=\"retried\"[^}]*\\} [1-9]");

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path data;

	@TempDir
	Path prometheusDirectory;

	@Test
	void everyDashboardQueryAndEveryAlertReturnsDataFromTheRunningPlatform() throws Exception {
		Path home = TestStacks.HOME;
		Map<String, String> queries = queries(home);
		LocalStackSettings settings = TestStacks.onFreePorts(this.data, "ingestion", "routing", "gateway", "delivery");
		Service ingestion = settings.service("ingestion");
		Service routing = settings.service("routing");
		Service gateway = settings.service("gateway");
		Service delivery = settings.service("delivery");
		try (LocalStack stack = TestStacks.stack(settings)) {
			for (Service service : settings.services()) {
				// Debian's Prometheus (2.42) refuses a scrape with exemplars on a
				// histogram's _count, which 2.43 and later accept: see
				// docs/operations.md.
				stack.environment(service.name(), Map.of("HERALD_METRICS_CONSUMERLAG_INTERVAL", "1s",
						"MANAGEMENT_TRACING_EXEMPLARS_INCLUDE", "none"));
			}
			stack.environment("delivery",
					Map.of("HERALD_DELIVERY_RETRY_INITIALDELAY", "500ms",
							"HERALD_DELIVERY_DISPATCH_CIRCUITBREAKER_MINIMUMSENDS", "2",
							"HERALD_DELIVERY_DISPATCH_CIRCUITBREAKER_WINDOW", "4"));
			stack.start();
			// Prometheus scrapes each service's management port, as
			// deploy/prometheus/prometheus.yml does.
			Path configuration = prometheusConfiguration(home,
					Map.of("ingestion-service", ingestion.managementPort(), "routing-service", routing.managementPort(),
							"websocket-gateway", gateway.managementPort(), "delivery-service",
							delivery.managementPort()));
			try (PrometheusServer prometheus = PrometheusServer.start(configuration, this.prometheusDirectory);
					Traffic traffic = new Traffic(stack, ingestion, routing, gateway, delivery)) {
				traffic.coverEveryPanel();
				Set<String> pending = new LinkedHashSet<>(queries.keySet());
				// Each poll keeps the rates up and asks again only what had no data yet.
				await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
					traffic.publish("high");
					List<String> problems = new ArrayList<>();
					for (String where : List.copyOf(pending)) {
						String problem = problem(prometheus.query(queries.get(where)));
						if (problem == null) {
							pending.remove(where);
						}
						else {
							problems.add(where + ": " + queries.get(where) + "\n    -> " + problem);
						}
					}
					assertThat(problems)
						.as("queries without data:%n%s%nscrape targets: %s", String.join("\n", problems),
								targets(prometheus))
						.isEmpty();
				});
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(rules(prometheus)).isNotEmpty()
						.allSatisfy((name, health) -> assertThat(health).as(name).isEqualTo("ok"))
						.containsOnlyKeys(alertNames(home)));
			}
		}
	}

	/**
	 * Every query to check, keyed by where it comes from, Grafana's variables filled in.
	 */
	private static Map<String, String> queries(Path home) throws Exception {
		Map<String, String> queries = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(home.resolve("deploy/grafana/dashboards"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = JsonCodec.MAPPER.readTree(Files.readString(file));
				for (JsonNode panel : dashboard.path("panels")) {
					for (JsonNode target : panel.path("targets")) {
						String where = file.getFileName() + " / " + panel.path("title").asString() + " / "
								+ target.path("refId").asString();
						queries.put(where, withVariables(target.path("expr").asString()));
					}
				}
			}
		}
		assertThat(queries).hasSizeGreaterThan(30);
		for (Map<String, Object> rule : alertRules(home)) {
			String expr = String.valueOf(rule.get("expr")).strip();
			Matcher matcher = COMPARISON.matcher(expr);
			assertThat(matcher.matches()).as("alert %s compares a query with a threshold", rule.get("alert")).isTrue();
			queries.put("alerts.yml / " + rule.get("alert"), matcher.group(1).strip());
		}
		return queries;
	}

	private static String withVariables(String expr) {
		String filled = expr;
		for (var variable : VARIABLES.entrySet()) {
			filled = filled.replace(variable.getKey(), variable.getValue());
		}
		assertThat(VARIABLE.matcher(filled).find()).as("unknown variable in %s", expr).isFalse();
		return filled;
	}

	/** Why an answer of {@code /api/v1/query} is not data, or {@code null} if it is. */
	private static String problem(String answer) {
		JsonNode json = JsonCodec.MAPPER.readTree(answer);
		if (!"success".equals(json.path("status").asString())) {
			return json.path("errorType").asString() + ": " + json.path("error").asString();
		}
		JsonNode result = json.path("data").path("result");
		if (result.isEmpty()) {
			return "no series";
		}
		for (JsonNode series : result) {
			String value = series.path("value").path(1).asString();
			if (!value.equals("NaN")) {
				return null;
			}
		}
		return "only NaN";
	}

	/** Each scrape target's health and last error, by job. */
	private static Map<String, String> targets(PrometheusServer prometheus) throws Exception {
		Map<String, String> health = new LinkedHashMap<>();
		JsonNode targets = JsonCodec.MAPPER.readTree(prometheus.get("/api/v1/targets"))
			.path("data")
			.path("activeTargets");
		for (JsonNode target : targets) {
			health.put(target.path("labels").path("job").asString(),
					target.path("health").asString() + " " + target.path("lastError").asString());
		}
		return health;
	}

	/** Each alerting rule's health as Prometheus evaluated it, by alert name. */
	private static Map<String, String> rules(PrometheusServer prometheus) throws Exception {
		Map<String, String> health = new LinkedHashMap<>();
		JsonNode groups = JsonCodec.MAPPER.readTree(prometheus.get("/api/v1/rules")).path("data").path("groups");
		for (JsonNode group : groups) {
			for (JsonNode rule : group.path("rules")) {
				String state = rule.path("health").asString();
				String error = rule.path("lastError").asString();
				health.put(rule.path("name").asString(), error.isEmpty() ? state : state + ": " + error);
			}
		}
		return health;
	}

	private static Set<String> alertNames(Path home) throws Exception {
		Set<String> names = new LinkedHashSet<>();
		alertRules(home).forEach((rule) -> names.add(String.valueOf(rule.get("alert"))));
		return names;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> alertRules(Path home) throws Exception {
		Map<String, Object> alerts = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(home.resolve("deploy/prometheus/alerts.yml")));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Object group : (List<Object>) alerts.get("groups")) {
			rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
		}
		return rules;
	}

	/**
	 * The repository's scrape configuration with each service's target on this stack's
	 * port, a scrape every 2 seconds (each may take that long on a busy machine), and the
	 * repository's alerting rules.
	 */
	private Path prometheusConfiguration(Path home, Map<String, Integer> ports) throws Exception {
		String configuration = Files.readString(home.resolve("deploy/prometheus/prometheus.yml"));
		for (var service : ports.entrySet()) {
			String target = "\"" + service.getKey() + ":";
			assertThat(configuration).contains(target);
			configuration = configuration.replaceAll(Pattern.quote(target) + "[0-9]+\"",
					"\"127.0.0.1:" + service.getValue() + "\"");
		}
		configuration = configuration.replaceAll("(?m)^(\\s*)scrape_interval: .*$", "$1scrape_interval: 2s")
			.replaceAll("(?m)^(\\s*)evaluation_interval: .*$", "$1evaluation_interval: 2s")
			.replace("- alerts.yml", "- " + home.resolve("deploy/prometheus/alerts.yml"));
		Path file = this.prometheusDirectory.resolve("prometheus.yml");
		Files.writeString(file, configuration);
		return file;
	}

	/**
	 * The traffic the panels need, through the public API but for the hostile records.
	 */
	private final class Traffic implements AutoCloseable {

		private final LocalStack stack;

		private final Service ingestion;

		private final Service gateway;

		private final Service delivery;

		private final AtomicLong lastSeq = new AtomicLong();

		private final AtomicBoolean acking = new AtomicBoolean(true);

		private WebSocket socket;

		Traffic(LocalStack stack, Service ingestion, Service routing, Service gateway, Service delivery)
				throws Exception {
			this.stack = stack;
			this.ingestion = ingestion;
			this.gateway = gateway;
			this.delivery = delivery;
			assertThat(send("PUT", routing.url() + "/v1/users/ada", """
					{"email": "ada@example.com", "phone": "+15555550100"}""")).isIn(200, 202);
			assertThat(send("POST", routing.url() + "/v1/users/ada/devices",
					"{\"platform\": \"ios\", \"token\": \"" + DemoHints.DEMO_IOS_TOKEN + "\"}"))
				.isIn(200, 201, 202);
			assertThat(send("POST", routing.url() + "/v1/users/ada/devices",
					"{\"platform\": \"android\", \"token\": \"" + DemoHints.DEMO_ANDROID_TOKEN + "\"}"))
				.isIn(200, 201, 202);
			// A 202 means routing has the write but may not show it yet: events sent
			// before then would find no address and no device, and reach no provider.
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(read(routing.url() + "/v1/users/ada")).contains("ada@example.com");
				assertThat(read(routing.url() + "/v1/users/ada/devices")).contains(DemoHints.DEMO_IOS_TOKEN)
					.contains(DemoHints.DEMO_ANDROID_TOKEN);
			});
			this.socket = connect();
		}

		void coverEveryPanel() throws Exception {
			for (String priority : List.of("critical", "high", "normal", "low")) {
				publish(priority);
			}
			// Refused at the API: invalid, then unauthorized.
			assertThat(send("POST", this.ingestion.url() + "/v1/events", "{\"type\": 42}")).isEqualTo(400);
			assertThat(this.http()
				.send(HttpRequest.newBuilder(URI.create(this.ingestion.url() + "/v1/events"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{}"))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode()).isEqualTo(401);
			// Every provider fails for a while: failed sends, retries, a breaker that
			// opens.
			ProviderSandboxes sandboxes = this.stack.sandboxes();
			sandboxes.failTemporarily();
			for (int i = 0; i < 6; i++) {
				publish("normal");
			}
			// Critical events are never rate-limited: one more each second until a send
			// was retried.
			await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
				publish("critical");
				return RETRIED.matcher(metrics(this.delivery)).find();
			});
			sandboxes.clearFailures();
			String bootstrap = this.stack.kafkaBootstrapServers();
			String emailLane = Topics.deliver(Channel.EMAIL, Lane.PRIORITY).name();
			await().atMost(TIMEOUT).until(() -> !TopicContents.readAll(bootstrap, emailLane).isEmpty());
			ConsumerRecord<String, byte[]> sent = TopicContents.readAll(bootstrap, emailLane).get(0);
			Properties properties = new Properties();
			properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
					new ByteArraySerializer())) {
				// A request delivered twice: the ledger answers "done".
				producer.send(new ProducerRecord<>(emailLane, null, sent.key(), sent.value(), sent.headers())).get();
				// Records that are no requests: dead letters in delivery and in the
				// gateway's inbox writer.
				byte[] garbage = "{\"not\": \"a request\"}".getBytes(StandardCharsets.UTF_8);
				producer.send(new ProducerRecord<>(emailLane, "demo|ada", garbage)).get();
				producer
					.send(new ProducerRecord<>(Topics.deliver(Channel.INAPP, Lane.PRIORITY).name(), "demo|ada",
							garbage))
					.get();
			}
			// The client drops its connection and comes back with resume.
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
			this.socket = connect();
		}

		void publish(String priority) throws Exception {
			assertThat(send("POST", this.ingestion.url() + "/v1/events", """
					{"type": "order.shipped", "recipients": {"users": ["ada"]}, "priority": "%s",
					 "content": {"title": "Shipped", "body": "On its way"}}""".formatted(priority))).isEqualTo(202);
		}

		private WebSocket connect() throws Exception {
			WebSocket socket = DemoUserSocket.open(http(), this.gateway, "ada", this::onFrame);
			socket.sendText("{\"type\":\"resume\",\"since\":" + this.lastSeq.get() + "}", true)
				.get(10, TimeUnit.SECONDS);
			return socket;
		}

		/** Acks every notification as it arrives. */
		private void onFrame(WebSocket socket, String frame) {
			Matcher seq = Pattern.compile("\"type\":\"notification\",\"seq\":([0-9]+)").matcher(frame);
			if (seq.find() && this.acking.get()) {
				long upTo = Long.parseLong(seq.group(1));
				this.lastSeq.accumulateAndGet(upTo, Math::max);
				socket.sendText("{\"type\":\"ack\",\"upTo\":" + upTo + "}", true);
			}
		}

		/** A service's meters as Prometheus scrapes them. */
		private String metrics(Service service) throws Exception {
			return http()
				.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/prometheus")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
		}

		private String read(String url) throws Exception {
			return http()
				.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer demo-key").build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
		}

		private int send(String method, String url, String body) throws Exception {
			return http()
				.send(HttpRequest.newBuilder(URI.create(url))
					.header("Authorization", "Bearer demo-key")
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(30))
					.method(method, HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}

		private HttpClient http() {
			return PrometheusQueriesIntegrationTests.this.http;
		}

		@Override
		public void close() {
			this.acking.set(false);
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
		}

	}

}
