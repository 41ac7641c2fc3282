package io.herald.routing.user;

import io.herald.events.ChannelMessage;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.infra.FreePorts;
import io.herald.infra.SharedInfra;
import io.herald.routing.EventProbe;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import io.herald.routing.topology.RoutingStores;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two routing instances of one application share the users between them by partition;
 * each answers for every user, forwarding reads of the users the other one owns.
 */
class TwoInstancesIntegrationTests {

	private static final int USERS = 40;

	private static int portA;

	private static int portB;

	private static int managementPortA;

	private static int managementPortB;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	@BeforeAll
	static void startTwoInstances() {
		String applicationId = RoutingTestSupport.uniqueApplicationId(TwoInstancesIntegrationTests.class);
		List<Integer> ports = FreePorts.find(4);
		portA = ports.get(0);
		portB = ports.get(1);
		managementPortA = ports.get(2);
		managementPortB = ports.get(3);
		instanceA = RoutingTestSupport.start(portA, withManagementPort(applicationId, managementPortA));
		instanceB = RoutingTestSupport.start(portB, withManagementPort(applicationId, managementPortB));
		RoutingTestSupport.awaitRunning(Duration.ofSeconds(90), instanceA, instanceB);
		// Both have joined once each one's metadata shows two instances with active
		// partitions.
		await().atMost(Duration.ofSeconds(90))
			.until(() -> ownsPartitions(instanceA) && ownsPartitions(instanceB) && activeHosts(instanceA).size() == 2
					&& activeHosts(instanceB).size() == 2 && streams(instanceA).state() == KafkaStreams.State.RUNNING
					&& streams(instanceB).state() == KafkaStreams.State.RUNNING);
	}

	@AfterAll
	static void stopInstances() {
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { instanceA, instanceB }) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	@Test
	void everyUserWrittenThroughOneInstanceIsReadThroughTheOther() {
		Api a = RoutingTestSupport.api(portA, RoutingTestSupport.ACME_KEY);
		Api b = RoutingTestSupport.api(portB, RoutingTestSupport.ACME_KEY);
		List<String> viaA = createUsers(a);
		List<String> viaB = createUsers(b);
		assertThat(owners(viaA)).as("users written through A live on both instances")
			.containsExactlyInAnyOrder(host(managementPortA), host(managementPortB));
		assertThat(owners(viaB)).containsExactlyInAnyOrder(host(managementPortA), host(managementPortB));
		double forwardedByB = forwardedReads(instanceB);
		double forwardedByA = forwardedReads(instanceA);

		assertReadable(b, viaA);
		assertReadable(a, viaB);

		assertThat(forwardedReads(instanceB)).as("B forwarded the reads of A's users").isGreaterThan(forwardedByB);
		assertThat(forwardedReads(instanceA)).as("A forwarded the reads of B's users").isGreaterThan(forwardedByA);
	}

	/**
	 * The gateway asks any instance with the preferences token, which opens no
	 * {@code /actuator/userstate}: the instance reads the owner's state with the
	 * instances' own token.
	 */
	@Test
	void thePreferencesEndpointWithThePreferencesTokenAnswersForUsersTheOtherInstanceOwns() {
		Api a = RoutingTestSupport.api(portA, RoutingTestSupport.ACME_KEY);
		List<String> users = createUsers(a);
		String preferences = "{\"channels\": {\"sms\": false}, \"categories\": {}}";
		for (String user : users) {
			assertThat(a.put("/v1/users/" + user + "/preferences", preferences).status()).as(user).isEqualTo(200);
		}
		assertThat(owners(users)).containsExactlyInAnyOrder(host(managementPortA), host(managementPortB));
		for (int managementPort : List.of(managementPortA, managementPortB)) {
			Api internal = new Api("http://127.0.0.1:" + managementPort, null);
			for (String user : users) {
				Response read = internal.send(internal.request("/actuator/userpreferences/acme/" + user)
					.header("X-Herald-Internal", RoutingTestSupport.PREFERENCES_TOKEN)
					.GET());
				assertThat(read.status()).as(user + " via " + managementPort).isEqualTo(200);
				assertThat(read.json().get("channels").get("sms").booleanValue()).isFalse();
				Response state = internal.send(internal.request("/actuator/userstate/acme/" + user)
					.header("X-Herald-Internal", RoutingTestSupport.PREFERENCES_TOKEN)
					.GET());
				assertThat(state.status()).as("the preferences token reads no state").isEqualTo(403);
			}
		}
	}

	@Test
	void writesThroughAnInstanceThatDoesNotOwnTheUserAreReadBackAtOnce() {
		Api a = RoutingTestSupport.api(portA, RoutingTestSupport.ACME_KEY);
		Api b = RoutingTestSupport.api(portB, RoutingTestSupport.ACME_KEY);
		for (String user : newUsers()) {
			Response subscribed = a.put("/v1/topics/news/subscribers/" + user, "");
			assertThat(subscribed.status()).as(user).isEqualTo(200);
			assertThat(b.get("/v1/topics/news/subscribers/" + user).status()).as(user).isEqualTo(200);
			assertThat(b.delete("/v1/topics/news/subscribers/" + user).status()).as(user).isEqualTo(204);
			assertThat(a.get("/v1/topics/news/subscribers/" + user).status()).as(user).isEqualTo(404);
			assertThat(b.delete("/v1/users/" + user).status()).as(user).isEqualTo(204);
			assertThat(a.get("/v1/users/" + user).status()).as(user).isEqualTo(404);
		}
	}

	@Test
	void conditionalWritesAreAnsweredByTheInstanceThatDoesNotOwnTheUser() {
		Api a = RoutingTestSupport.api(portA, RoutingTestSupport.ACME_KEY);
		Api b = RoutingTestSupport.api(portB, RoutingTestSupport.ACME_KEY);
		List<String> users = createUsers(a);
		assertThat(owners(users)).containsExactlyInAnyOrder(host(managementPortA), host(managementPortB));
		for (String user : users) {
			String read = b.get("/v1/users/" + user).header("ETag");
			Response applied = b.send(b.request("/v1/users/" + user)
				.header("Content-Type", UserController.MERGE_PATCH_JSON)
				.header("If-Match", read)
				.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"locale\": \"de-DE\"}")));
			assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
			Response refused = a.send(a.request("/v1/users/" + user)
				.header("Content-Type", UserController.MERGE_PATCH_JSON)
				.header("If-Match", read)
				.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"locale\": \"fr-FR\"}")));
			assertThat(refused.status()).as(refused.toString()).isEqualTo(412);
			assertThat(refused.header("ETag")).isEqualTo(applied.header("ETag"));
		}
	}

	/**
	 * A tenant's templates live on one instance's task: a write through the other is
	 * decided there and answered here, and every event sent after the answer, routed by
	 * either instance, renders with it.
	 */
	@Test
	void aTemplateWrittenThroughEitherInstanceRendersTheNextEventsOnBoth() {
		Api a = RoutingTestSupport.api(portA, RoutingTestSupport.ACME_KEY);
		Api b = RoutingTestSupport.api(portB, RoutingTestSupport.ACME_KEY);
		String id = "t-" + UUID.randomUUID();
		List<String> users = newUsers().subList(0, 8);
		assertThat(owners(users)).containsExactlyInAnyOrder(host(managementPortA), host(managementPortB));
		double forwarded = templateReads(instanceA) + templateReads(instanceB);
		try (EventProbe probe = new EventProbe(SharedInfra.kafka().bootstrapServers())) {
			for (int version = 1; version <= 4; version++) {
				Api writer = (version % 2 == 1) ? a : b;
				Response written = writer.put("/v1/templates/" + id,
						"{\"locales\": {\"default\": {\"title\": \"v" + version + "\", \"body\": \"b\"}}}");
				assertThat(written.status()).as(written.toString()).isIn(200, 201);
				List<String> events = new ArrayList<>();
				for (String user : users) {
					events.add(probe.send("acme", user, id, Map.of(), Priority.HIGH));
				}
				for (String event : events) {
					assertThat(((ChannelMessage.InApp) probe.delivery(event).message()).title())
						.isEqualTo("v" + version);
				}
			}
		}
		assertThat(a.get("/v1/templates/" + id + "/versions").json())
			.isEqualTo(b.get("/v1/templates/" + id + "/versions").json());
		assertThat(templateReads(instanceA) + templateReads(instanceB)).as("verdicts read from the other instance")
			.isGreaterThan(forwarded);
	}

	private static double templateReads(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class)
			.get("herald.routing.template.reads")
			.tag("owner", "forwarded")
			.counter()
			.count();
	}

	private static List<String> createUsers(Api api) {
		List<String> users = newUsers();
		for (String user : users) {
			Response response = api.put("/v1/users/" + user, "{\"email\": \"" + user + "@example.com\"}");
			// 200, not 202: the writing instance saw the command applied, wherever the
			// user lives.
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
		}
		return users;
	}

	private static void assertReadable(Api api, List<String> users) {
		for (String user : users) {
			Response response = api.get("/v1/users/" + user);
			assertThat(response.status()).as(user).isEqualTo(200);
			assertThat(response.json().get("email").stringValue()).isEqualTo(user + "@example.com");
		}
	}

	private static List<String> newUsers() {
		List<String> users = new ArrayList<>(USERS);
		for (int i = 0; i < USERS; i++) {
			users.add("u-" + UUID.randomUUID());
		}
		return users;
	}

	private static List<HostInfo> owners(Collection<String> users) {
		KafkaStreams streams = streams(instanceA);
		return users.stream()
			.map((user) -> streams
				.queryMetadataForKey(RoutingStores.USER_STATE, PartitionKeys.user("acme", user), new StringSerializer())
				.activeHost())
			.distinct()
			.toList();
	}

	private static double forwardedReads(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class)
			.get("herald.routing.user.reads")
			.tag("owner", "forwarded")
			.counter()
			.count();
	}

	private static boolean ownsPartitions(ConfigurableApplicationContext instance) {
		return !streams(instance).metadataForLocalThreads()
			.stream()
			.allMatch((thread) -> thread.activeTasks().isEmpty());
	}

	private static List<HostInfo> activeHosts(ConfigurableApplicationContext instance) {
		return streams(instance).metadataForAllStreamsClients()
			.stream()
			.filter((client) -> !client.topicPartitions().isEmpty())
			.map(StreamsMetadata::hostInfo)
			.toList();
	}

	private static KafkaStreams streams(ConfigurableApplicationContext instance) {
		return instance
			.getBean("&" + KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_BUILDER_BEAN_NAME,
					StreamsBuilderFactoryBean.class)
			.getKafkaStreams();
	}

	/**
	 * Kafka Streams advertises the management port, where the instances' read endpoint
	 * is.
	 */
	private static Map<String, Object> withManagementPort(String applicationId, int managementPort) {
		Map<String, Object> properties = RoutingTestSupport.properties(applicationId);
		properties.put("management.server.port", managementPort);
		return properties;
	}

	private static HostInfo host(int port) {
		return new HostInfo("127.0.0.1", port);
	}

}
