package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lists of the status view, {@code GET /v1/events} and {@code GET
 * /v1/users/{userId}/deliveries}, fed through the real event log and
 * {@code herald.status}, read over HTTP.
 */
class StatusListsIntegrationTests extends IngestionIntegrationTest {

	@Autowired
	StringRedisTemplate redis;

	@Test
	void walksTheTenantsEventsNewestFirstWithoutDuplicatesOrSkipsWhileNewEventsArrive() {
		Instant from = Instant.now().minusMillis(1);
		Instant to = from.plus(Duration.ofDays(1));
		List<String> accepted = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			accepted.add(accept(TestApi.ACME_KEY, "u-1"));
		}
		String range = "from=" + from + "&to=" + to;
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(ids(events(TestApi.ACME_KEY, range + "&limit=100"))).containsAll(accepted));

		List<JsonNode> walked = new ArrayList<>();
		List<String> arrivedMeanwhile = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = events(TestApi.ACME_KEY,
					range + "&limit=3" + ((cursor != null) ? "&cursor=" + cursor : ""));
			assertThat(page.get("events").size()).isLessThanOrEqualTo(3);
			page.get("events").forEach(walked::add);
			cursor = page.has("nextCursor") ? page.get("nextCursor").stringValue() : null;
			arrivedMeanwhile.add(accept(TestApi.ACME_KEY, "u-1"));
			pages++;
		}
		while (cursor != null && pages < 50);

		List<String> ids = walked.stream().map((event) -> event.get("eventId").stringValue()).toList();
		assertThat(pages).isGreaterThanOrEqualTo(4);
		assertThat(ids).doesNotHaveDuplicates().containsAll(accepted);
		List<Instant> times = walked.stream()
			.map((event) -> Instant.parse(event.get("acceptedAt").stringValue()))
			.toList();
		for (int i = 1; i < times.size(); i++) {
			assertThat(times.get(i).truncatedTo(ChronoUnit.MILLIS))
				.isBeforeOrEqualTo(times.get(i - 1).truncatedTo(ChronoUnit.MILLIS));
		}
		assertThat(walked)
			.allSatisfy((event) -> assertThat(event.get("type").stringValue()).isEqualTo("order.shipped"));
		// What arrived during the walk is at the head of a new one.
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					ids(events(TestApi.ACME_KEY, range + "&limit=100")).subList(0, arrivedMeanwhile.size()))
				.containsExactlyInAnyOrderElementsOf(arrivedMeanwhile));
	}

	@Test
	void anEventCarriesTheCountsOfItsDeliveries() {
		Instant from = Instant.now().minusMillis(1);
		String eventId = accept(TestApi.ACME_KEY, "u-1");
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(StatusReported.of("acme", eventId, "u-1", Channel.INAPP, DeliveryState.DELIVERED, t0));
		report(StatusReported.of("acme", eventId, "u-2", Channel.INAPP, DeliveryState.DELIVERED, t0));
		report(StatusReported.of("acme", eventId, "u-2", Channel.EMAIL, DeliveryState.SENT, t0));
		String range = "from=" + from + "&to=" + from.plusSeconds(3600);

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode event = events(TestApi.ACME_KEY, range).get("events")
				.valueStream()
				.filter((e) -> e.get("eventId").stringValue().equals(eventId))
				.findFirst()
				.orElseThrow();
			assertThat(event.get("summary").get("inapp").get("delivered").longValue()).isEqualTo(2);
			assertThat(event.get("summary").get("email").get("sent").longValue()).isEqualTo(1);
			assertThat(event.get("acceptedAt").stringValue())
				.isEqualTo(api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("acceptedAt").stringValue());
		});
	}

	@Test
	void theRangeIncludesItsStartAndExcludesItsEnd() {
		String eventId = accept(TestApi.ACME_KEY, "u-1");
		String acceptedAt = await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("acceptedAt").stringValue(),
					(at) -> at != null);
		Instant at = Instant.parse(acceptedAt);
		assertThat(ids(events(TestApi.ACME_KEY, "from=" + at + "&to=" + at.plusSeconds(60)))).contains(eventId);
		assertThat(ids(events(TestApi.ACME_KEY, "from=" + at.minusSeconds(60) + "&to=" + at))).doesNotContain(eventId);
		assertThat(ids(events(TestApi.ACME_KEY, "from=" + at + "&to=" + at))).isEmpty();
		// Any offset names the same instant.
		String inBerlin = at.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
		assertThat(ids(events(TestApi.ACME_KEY, "from=" + encode(inBerlin) + "&to=" + at.plusSeconds(60))))
			.contains(eventId);
	}

	@Test
	void aKeySeesTheEventsAndDeliveriesOfItsOwnTenantOnly() {
		Instant from = Instant.now().minusMillis(1);
		String acme = accept(TestApi.ACME_KEY, "u-1");
		String globex = accept(TestApi.GLOBEX_KEY, "u-1");
		String user = "u-isolated-" + UUID.randomUUID();
		report(StatusReported.of("acme", acme, user, Channel.INAPP, DeliveryState.QUEUED, Instant.now()));
		String range = "from=" + from + "&to=" + from.plusSeconds(3600);

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			assertThat(ids(events(TestApi.ACME_KEY, range))).contains(acme).doesNotContain(globex);
			assertThat(ids(events(TestApi.GLOBEX_KEY, range))).contains(globex).doesNotContain(acme);
			assertThat(deliveries(TestApi.ACME_KEY, user, "").get("deliveries")).hasSize(1);
		});
		assertThat(deliveries(TestApi.GLOBEX_KEY, user, "").get("deliveries")).isEmpty();

		// A cursor of one tenant is no cursor for another.
		for (int i = 0; i < 2; i++) {
			accept(TestApi.ACME_KEY, "u-1");
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> events(TestApi.ACME_KEY, range + "&limit=1").has("nextCursor"));
		String cursor = events(TestApi.ACME_KEY, range + "&limit=1").get("nextCursor").stringValue();
		expectInvalid(api().get("/v1/events?" + range + "&cursor=" + cursor, TestApi.GLOBEX_KEY), "cursor");
	}

	@Test
	void listsAUsersRecentDeliveriesNewestFirstAcrossEvents() {
		String user = "u-recent-" + UUID.randomUUID();
		Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
		String first = accept(TestApi.ACME_KEY, user);
		String second = accept(TestApi.ACME_KEY, user);
		report(StatusReported.of("acme", first, user, Channel.EMAIL, DeliveryState.SENT, t0));
		report(new StatusReported(1, "acme", first, user, Channel.INAPP, null, DeliveryState.DELIVERED, null, null,
				null, 7L, t0.plusSeconds(1)));
		report(new StatusReported(1, "acme", second, user, Channel.SMS, null, DeliveryState.DEFERRED, "quiet_hours",
				t0.plusSeconds(3600), null, null, t0.plusSeconds(2)));
		// A later state moves the delivery to the head; it is listed once, with that
		// state.
		report(new StatusReported(1, "acme", first, user, Channel.INAPP, null, DeliveryState.ACKNOWLEDGED, null, null,
				null, 7L, t0.plusSeconds(3)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = deliveries(TestApi.ACME_KEY, user, "").get("deliveries");
			assertThat(deliveries).hasSize(3);
			JsonNode inapp = deliveries.get(0);
			assertThat(inapp.get("eventId").stringValue()).isEqualTo(first);
			assertThat(inapp.get("channel").stringValue()).isEqualTo("inapp");
			assertThat(inapp.get("state").stringValue()).isEqualTo("acknowledged");
			assertThat(inapp.get("seq").longValue()).isEqualTo(7);
			assertThat(inapp.get("updatedAt").stringValue()).isEqualTo(t0.plusSeconds(3).toString());
			assertThat(inapp.get("notificationId").stringValue())
				.isEqualTo(DeliverNotification.notificationId(first, user, Channel.INAPP));
			assertThat(deliveries.get(1).get("eventId").stringValue()).isEqualTo(second);
			assertThat(deliveries.get(1).get("state").stringValue()).isEqualTo("deferred");
			assertThat(deliveries.get(1).get("reason").stringValue()).isEqualTo("quiet_hours");
			assertThat(deliveries.get(2).get("channel").stringValue()).isEqualTo("email");
			assertThat(deliveries.get(2).has("seq")).isFalse();
		});
	}

	@Test
	void aPushQueuedForTheUserGivesWayToItsDevicesInTheUsersList() {
		String user = "u-push-" + UUID.randomUUID();
		String eventId = accept(TestApi.ACME_KEY, user);
		Instant t0 = Instant.now();
		report(StatusReported.of("acme", eventId, user, Channel.PUSH, DeliveryState.QUEUED, t0));
		stage().flush();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> deliveries(TestApi.ACME_KEY, user, "").get("deliveries").size() == 1);
		report(new StatusReported(1, "acme", eventId, user, Channel.PUSH, "ios:1a2b", DeliveryState.SENT, null, null,
				"apns-1", null, t0.plusSeconds(1)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = deliveries(TestApi.ACME_KEY, user, "").get("deliveries");
			assertThat(deliveries).hasSize(1);
			assertThat(deliveries.get(0).get("device").stringValue()).isEqualTo("ios:1a2b");
			assertThat(deliveries.get(0).get("providerId").stringValue()).isEqualTo("apns-1");
		});
	}

	@Test
	void aUserKeepsTheLatest200DeliveriesAndPagesWalkThemWhileNewOnesArrive() {
		String user = "u-many-" + UUID.randomUUID();
		String eventId = accept(TestApi.ACME_KEY, user);
		Instant t0 = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
		List<StatusReported> sent = new ArrayList<>();
		for (int i = 0; i < 205; i++) {
			sent.add(new StatusReported(1, "acme", eventId, user, Channel.PUSH, "ios:" + i, DeliveryState.SENT, null,
					null, "apns-" + i, null, t0.plusMillis(i / 2)));
		}
		sent.forEach(StatusListsIntegrationTests::report);
		stage().flush();
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					deliveries(TestApi.ACME_KEY, user, "&limit=1").get("deliveries").get(0).get("device").stringValue())
				.isEqualTo("ios:204"));

		Set<String> walked = new HashSet<>();
		List<String> order = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = deliveries(TestApi.ACME_KEY, user,
					"&limit=30" + ((cursor != null) ? "&cursor=" + cursor : ""));
			for (JsonNode delivery : page.get("deliveries")) {
				assertThat(walked.add(delivery.get("device").stringValue())).as("listed once").isTrue();
				order.add(delivery.get("device").stringValue());
			}
			cursor = page.has("nextCursor") ? page.get("nextCursor").stringValue() : null;
			report(new StatusReported(1, "acme", eventId, user, Channel.PUSH, "android:" + pages, DeliveryState.SENT,
					null, null, "fcm-" + pages, null, Instant.now()));
			pages++;
		}
		while (cursor != null && pages < 50);

		// The 200 kept when the walk began, newest first; those that arrived meanwhile
		// were not in its way.
		List<String> kept = order.stream().filter((device) -> device.startsWith("ios:")).toList();
		assertThat(kept).hasSizeGreaterThanOrEqualTo(190).doesNotContain("ios:0", "ios:1", "ios:2", "ios:3", "ios:4");
		assertThat(kept.get(0)).isEqualTo("ios:204");
		for (int i = 1; i < kept.size(); i++) {
			assertThat(number(kept.get(i))).isLessThan(number(kept.get(i - 1)));
		}
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			int total = 0;
			String next = null;
			do {
				JsonNode page = deliveries(TestApi.ACME_KEY, user,
						"&limit=100" + ((next != null) ? "&cursor=" + next : ""));
				total += page.get("deliveries").size();
				next = page.has("nextCursor") ? page.get("nextCursor").stringValue() : null;
			}
			while (next != null);
			assertThat(total).isEqualTo(200);
		});
	}

	@Test
	void answersBadQueriesWithAProblemNamingTheParameter() {
		String now = Instant.now().toString();
		String range = "from=" + now + "&to=" + now;
		expectInvalid(api().get("/v1/events", TestApi.ACME_KEY), "from", "to");
		expectInvalid(api().get("/v1/events?from=" + now, TestApi.ACME_KEY), "to");
		for (String bad : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-11-22T10:00:00", "2026-11-22",
				"1763800000000", "2026-11-22T10:00:00Z%20", "9".repeat(1_000))) {
			expectInvalid(api().get("/v1/events?from=" + bad + "&to=" + now, TestApi.ACME_KEY), "from");
		}
		// A NUL is refused by the request firewall, before the query is read.
		assertThat(api().get("/v1/events?from=" + now + "%00&to=" + now, TestApi.ACME_KEY).status()).isEqualTo(400);
		expectInvalid(
				api().get("/v1/events?from=" + now + "&to=" + Instant.parse(now).minusSeconds(1), TestApi.ACME_KEY),
				"to");
		TestApi.Response tooWide = api()
			.get("/v1/events?from=" + Instant.parse(now).minus(Duration.ofDays(32)) + "&to=" + now, TestApi.ACME_KEY);
		expectInvalid(tooWide, "to");
		assertThat(tooWide.json().get("detail").stringValue()).contains("31 days");
		assertThat(api()
			.get("/v1/events?from=" + Instant.parse(now).minus(Duration.ofDays(31)) + "&to=" + now, TestApi.ACME_KEY)
			.status()).isEqualTo(200);
		for (String limit : List.of("0", "101", "-1", "abc", "1e2", "", "99999999999999999999", "+5", " 5")) {
			expectInvalid(api().get("/v1/events?" + range + "&limit=" + encode(limit), TestApi.ACME_KEY), "limit");
			expectInvalid(api().get("/v1/users/u-1/deliveries?limit=" + encode(limit), TestApi.ACME_KEY), "limit");
		}
		for (String cursor : List.of("x", "not a cursor", "AAAAAAAAAAAAAAAAAAAA", "%7B%7D", "A".repeat(600),
				"AQ" + "_".repeat(40))) {
			expectInvalid(api().get("/v1/events?" + range + "&cursor=" + encode(cursor), TestApi.ACME_KEY), "cursor");
			expectInvalid(api().get("/v1/users/u-1/deliveries?cursor=" + encode(cursor), TestApi.ACME_KEY), "cursor");
		}
		for (String user : List.of("a%20b", "x".repeat(129), "%7Bacme%7D", "a%7Cb", "u*", "%C3%A9")) {
			expectInvalid(api().get("/v1/users/" + user + "/deliveries", TestApi.ACME_KEY), "userId");
		}
		// Other query parameters are ignored, as on every endpoint.
		assertThat(api().get("/v1/events?" + range + "&page=2&sort=oldest", TestApi.ACME_KEY).status()).isEqualTo(200);
		assertThat(api().get("/v1/events?" + range, "no-such-key").status()).isEqualTo(401);
		assertThat(api().get("/v1/users/u-1/deliveries", "no-such-key").status()).isEqualTo(401);
	}

	@Test
	void aCursorServesOnlyTheListAndQueryItCameFrom() {
		Instant from = Instant.now().minusMillis(1);
		String user = "u-cursor-" + UUID.randomUUID();
		for (int i = 0; i < 3; i++) {
			String eventId = accept(TestApi.ACME_KEY, user);
			report(StatusReported.of("acme", eventId, user, Channel.INAPP, DeliveryState.QUEUED, Instant.now()));
		}
		String range = "from=" + from + "&to=" + from.plusSeconds(3600);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> events(TestApi.ACME_KEY, range + "&limit=1").has("nextCursor")
					&& deliveries(TestApi.ACME_KEY, user, "&limit=1").has("nextCursor"));
		String events = events(TestApi.ACME_KEY, range + "&limit=1").get("nextCursor").stringValue();
		String deliveries = deliveries(TestApi.ACME_KEY, user, "&limit=1").get("nextCursor").stringValue();

		assertThat(api().get("/v1/events?" + range + "&cursor=" + events, TestApi.ACME_KEY).status()).isEqualTo(200);
		assertThat(api().get("/v1/users/" + user + "/deliveries?cursor=" + deliveries, TestApi.ACME_KEY).status())
			.isEqualTo(200);
		expectInvalid(api().get("/v1/events?" + range + "&cursor=" + deliveries, TestApi.ACME_KEY), "cursor");
		expectInvalid(api().get("/v1/users/" + user + "/deliveries?cursor=" + events, TestApi.ACME_KEY), "cursor");
		expectInvalid(api().get("/v1/users/u-other/deliveries?cursor=" + deliveries, TestApi.ACME_KEY), "cursor");
		expectInvalid(api().get(
				"/v1/events?from=" + from.minusSeconds(1) + "&to=" + from.plusSeconds(3600) + "&cursor=" + events,
				TestApi.ACME_KEY), "cursor");
		// Any character changed: refused, never another position.
		for (int i = 0; i < events.length(); i++) {
			char changed = (events.charAt(i) == 'A') ? 'B' : 'A';
			String tampered = events.substring(0, i) + changed + events.substring(i + 1);
			TestApi.Response response = api().get("/v1/events?" + range + "&cursor=" + tampered, TestApi.ACME_KEY);
			if (response.status() != 400) {
				// base64url's last character may carry unused bits: the same bytes, the
				// same cursor.
				assertThat(i).isEqualTo(events.length() - 1);
				assertThat(response.status()).isEqualTo(200);
			}
		}
		expectInvalid(api().get("/v1/events?" + range + "&cursor=" + events.substring(0, events.length() - 4),
				TestApi.ACME_KEY), "cursor");
	}

	@Test
	void aUsersRecentDeliveriesOutliveTheirLastChangeByTheRetentionAndTheirTtlIsSetAgainOnlyBelowIt() {
		long retention = Duration.ofDays(7).toSeconds();
		long margin = retention / 100;
		String user = "u-ttl-" + UUID.randomUUID();
		String key = "herald:status:{acme:" + user + "}:recent";
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(StatusReported.of("acme", accept(TestApi.ACME_KEY, user), user, Channel.INAPP, DeliveryState.QUEUED,
				t0));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.getExpire(key)).isBetween(retention, retention + margin));

		// Set a moment ago: a new delivery leaves the TTL as it is.
		this.redis.expire(key, Duration.ofSeconds(retention + 100));
		report(StatusReported.of("acme", accept(TestApi.ACME_KEY, user), user, Channel.INAPP, DeliveryState.QUEUED,
				t0.plusSeconds(1)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.opsForZSet().zCard(key)).isEqualTo(2));
		assertThat(this.redis.getExpire(key)).isBetween(retention + 50, retention + 100);

		// Below the retention: a new delivery sets it again, with its margin.
		this.redis.expire(key, Duration.ofSeconds(retention - 100));
		report(StatusReported.of("acme", accept(TestApi.ACME_KEY, user), user, Channel.INAPP, DeliveryState.QUEUED,
				t0.plusSeconds(2)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.getExpire(key)).isGreaterThan(retention + margin - 60));
		assertThat(this.redis.opsForZSet().zCard(key)).isEqualTo(3);
	}

	private String accept(String apiKey, String user) {
		TestApi.Response response = api().post("/v1/events", apiKey, TestApi.event(user));
		assertThat(response.status()).isEqualTo(202);
		return response.json().get("eventId").stringValue();
	}

	private JsonNode events(String apiKey, String query) {
		TestApi.Response response = api().get("/v1/events?" + query, apiKey);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private JsonNode deliveries(String apiKey, String user, String query) {
		TestApi.Response response = api().get("/v1/users/" + user + "/deliveries?" + query, apiKey);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("userId").stringValue()).isEqualTo(user);
		return response.json();
	}

	private static List<String> ids(JsonNode page) {
		return page.get("events").valueStream().map((event) -> event.get("eventId").stringValue()).toList();
	}

	private static void expectInvalid(TestApi.Response response, String... parameters) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
		if (parameters.length > 0 && response.json().has("errors")) {
			assertThat(response.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder(parameters);
		}
	}

	private static int number(String device) {
		return Integer.parseInt(device.substring(device.indexOf(':') + 1));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void report(StatusReported status) {
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status)));
	}

}
