package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.Counts;
import io.herald.events.DeliveryState;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fan-out's in-app {@code queued} as counts (docs/adr/037): routing reports a batch's
 * {@code queued} as one count, and every later status of its deliveries names the count.
 * Whatever the order the view reads them in, and however often, each delivery ends in its
 * latest state, counted once.
 */
class StatusCountsIntegrationTests extends IngestionIntegrationTest {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void everyDeliveryOfACountedFanOutEndsInItsLatestStateWhateverTheOrderAndRepeats() {
		String eventId = accept();
		List<String> first = users(0, 400);
		List<String> second = users(400, 800);
		List<String> third = users(800, 1_200);
		// The count first, then the deliveries, both read twice.
		report(count(eventId, first));
		report(count(eventId, first));
		delivered(eventId, first, 1).forEach(StatusCountsIntegrationTests::report);
		delivered(eventId, first, 1).forEach(StatusCountsIntegrationTests::report);
		// The deliveries before their count.
		delivered(eventId, second, 1).forEach(StatusCountsIntegrationTests::report);
		report(count(eventId, second));
		// Acknowledged, a status that names no count, before delivered for half of them
		// (a client acknowledging on another gateway node), the count in between.
		List<String> acknowledged = third.subList(0, 200);
		StatusReported
			.batched(acknowledged.stream()
				.map((user) -> StatusReported.of("acme", eventId, user, Channel.INAPP, DeliveryState.ACKNOWLEDGED,
						T0.plusSeconds(2)))
				.toList(), 500)
			.forEach(StatusCountsIntegrationTests::report);
		report(count(eventId, third));
		delivered(eventId, third, 1).forEach(StatusCountsIntegrationTests::report);
		stage().flush();

		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			JsonNode inApp = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("summary").get("inapp");
			assertThat(inApp.has("queued")).isFalse();
			assertThat(inApp.get("delivered").longValue()).isEqualTo(1_000);
			assertThat(inApp.get("acknowledged").longValue()).isEqualTo(200);
		});
		// Every delivery counted once, and recorded once: no queued field of its own.
		assertThat(this.redis.opsForHash().get(key(eventId, "meta"), "deliveries")).isEqualTo("1200");
		assertThat(this.redis.opsForHash().size(key(eventId, "deliveries"))).isEqualTo(1_200);
		assertThat(this.redis.opsForHash().size(key(eventId, "counts"))).isEqualTo(3);
	}

	@Test
	void aCountStillQueuedIsListedUserByUserAndLeftOutOfTheirRecentDeliveries() {
		String eventId = accept();
		List<String> users = List.of("c-1", "c-2", "c-3");
		report(count(eventId, users));
		delivered(eventId, users.subList(0, 1), 1).forEach(StatusCountsIntegrationTests::report);

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(states(deliveries))
				.containsExactlyInAnyOrderEntriesOf(Map.of("c-1", "delivered", "c-2", "queued", "c-3", "queued"));
			assertThat(deliveries.get(1).get("at").stringValue()).isEqualTo(T0.toString());
		});
		// The queued deliveries are the count's: no field of their own.
		assertThat(this.redis.opsForHash().keys(key(eventId, "deliveries"))).containsExactly("c-1|inapp");
		// A user's recent deliveries list a counted delivery from its first state after
		// queued.
		assertThat(recentEvents("c-1")).contains(eventId);
		assertThat(recentEvents("c-2")).doesNotContain(eventId);

		delivered(eventId, users.subList(1, 3), 2).forEach(StatusCountsIntegrationTests::report);
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(states(deliveries))
				.containsExactlyInAnyOrderEntriesOf(Map.of("c-1", "delivered", "c-2", "delivered", "c-3", "delivered"));
			assertThat(recentEvents("c-2")).contains(eventId);
		});
	}

	@Test
	void aBatchRoutedAgainWithOtherUsersCountsEachUserOnceDeliveredOnce() {
		String eventId = accept();
		// Routing read the event's copy again after a crash, and a user subscribed in the
		// meantime: the second batch overlaps the first under another count.
		List<String> before = List.of("r-1", "r-2", "r-3");
		List<String> after = List.of("r-1", "r-2", "r-3", "r-4");
		report(count(eventId, before));
		report(count(eventId, after));
		delivered(eventId, before, 1).forEach(StatusCountsIntegrationTests::report);

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(states(deliveries)).containsExactlyInAnyOrderEntriesOf(
					Map.of("r-1", "delivered", "r-2", "delivered", "r-3", "delivered", "r-4", "queued"));
		});

		// The gateway appends the second batch too, the first three already in their
		// inboxes.
		delivered(eventId, after, 1).forEach(StatusCountsIntegrationTests::report);
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(states(deliveries)).containsExactlyInAnyOrderEntriesOf(
					Map.of("r-1", "delivered", "r-2", "delivered", "r-3", "delivered", "r-4", "delivered"));
		});
	}

	private static String key(String eventId, String hash) {
		return "herald:status:{acme:" + eventId + "}:" + hash;
	}

	private List<String> recentEvents(String user) {
		List<String> events = new ArrayList<>();
		for (JsonNode delivery : api().get("/v1/users/" + user + "/deliveries", TestApi.ACME_KEY)
			.json()
			.get("deliveries")) {
			events.add(delivery.get("eventId").stringValue());
		}
		return events;
	}

	private static Map<String, String> states(JsonNode deliveries) {
		Map<String, String> states = new HashMap<>();
		for (JsonNode delivery : deliveries) {
			assertThat(delivery.get("channel").stringValue()).isEqualTo("inapp");
			states.put(delivery.get("userId").stringValue(), delivery.get("state").stringValue());
		}
		return states;
	}

	private static List<String> users(int from, int to) {
		return IntStream.range(from, to).mapToObj((n) -> "f-" + n).toList();
	}

	/** Routing's count of a batch's in-app queued. */
	private static StatusReported count(String eventId, List<String> users) {
		List<StatusReported.Recipient> others = users.subList(1, users.size())
			.stream()
			.map((user) -> new StatusReported.Recipient(user, null))
			.toList();
		return new StatusReported(StatusReported.BATCH_SCHEMA_VERSION, "acme", eventId, users.get(0), Channel.INAPP,
				null, DeliveryState.QUEUED, null, null, null, null, T0, others,
				Counts.id(eventId, Channel.INAPP, users));
	}

	/** The gateway's delivered of a counted batch, folded as it reports them. */
	private static List<StatusReported> delivered(String eventId, List<String> users, long seq) {
		String count = Counts.id(eventId, Channel.INAPP, users);
		List<StatusReported> statuses = new ArrayList<>();
		for (String user : users) {
			statuses.add(new StatusReported(StatusReported.SCHEMA_VERSION, "acme", eventId, user, Channel.INAPP, null,
					DeliveryState.DELIVERED, null, null, null, seq, T0.plusSeconds(1), List.of(), count));
		}
		return StatusReported.batched(statuses, 500);
	}

	private String accept() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"));
		assertThat(response.status()).isEqualTo(202);
		return response.json().get("eventId").stringValue();
	}

	private static void report(StatusReported status) {
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status)));
	}

}
