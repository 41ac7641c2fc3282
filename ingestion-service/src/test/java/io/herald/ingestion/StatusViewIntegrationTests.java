package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The status view as later stages feed it through {@code herald.status}. */
class StatusViewIntegrationTests extends IngestionIntegrationTest {

	@Test
	void showsEachDeliveryWithItsLatestState() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(status(eventId, "u-1", Channel.EMAIL, DeliveryState.SUPPRESSED, t0).withReason("preference"));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.PUSH, "ios:1a2b", DeliveryState.SENT, null, null,
				"apns-1", null, t0));
		report(new StatusReported(1, "acme", eventId, "u-2", Channel.SMS, null, DeliveryState.DEFERRED, "quiet_hours",
				t0.plusSeconds(3600), null, null, t0));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.INAPP, null, DeliveryState.ACKNOWLEDGED, null,
				null, null, 124L, t0.plusSeconds(2)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(4);
			assertThat(deliveries.get(0).get("channel").stringValue()).isEqualTo("email");
			assertThat(deliveries.get(0).get("state").stringValue()).isEqualTo("suppressed");
			assertThat(deliveries.get(0).get("reason").stringValue()).isEqualTo("preference");
			assertThat(deliveries.get(1).get("channel").stringValue()).isEqualTo("inapp");
			assertThat(deliveries.get(1).get("seq").longValue()).isEqualTo(124);
			assertThat(deliveries.get(2).get("device").stringValue()).isEqualTo("ios:1a2b");
			assertThat(deliveries.get(2).get("providerId").stringValue()).isEqualTo("apns-1");
			assertThat(deliveries.get(3).get("until").stringValue()).isEqualTo("2026-11-22T11:00:00Z");
		});
	}

	@Test
	void aPushQueuedForTheUserGivesWayToTheStatesOfEachDevice() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(status(eventId, "u-1", Channel.PUSH, DeliveryState.QUEUED, t0));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.PUSH, "ios:1a2b", DeliveryState.SENT, null, null,
				"apns-1", null, t0.plusSeconds(1)));
		report(new StatusReported(1, "acme", eventId, "u-1", Channel.PUSH, "android:fcm-1", DeliveryState.FAILED,
				"unregistered", null, null, null, t0.plusSeconds(1)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(2);
			assertThat(deliveries.findValuesAsString("device")).containsExactlyInAnyOrder("ios:1a2b", "android:fcm-1");
		});
	}

	@Test
	void lateRecordOfAnEarlierStageNeverOverwritesALaterState() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.ACKNOWLEDGED, t0.plusSeconds(5)));
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.DELIVERED, t0.plusSeconds(2)));
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.QUEUED, t0));
		report(status(eventId, "u-9", Channel.INAPP, DeliveryState.QUEUED, t0));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(2);
			assertThat(deliveries.get(0).get("state").stringValue()).isEqualTo("acknowledged");
		});
	}

	@Test
	void aProviderReceiptStaysWhateverTheTimeOfASentReportedAfterIt() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(status(eventId, "u-1", Channel.SMS, DeliveryState.SENT, t0));
		report(status(eventId, "u-1", Channel.SMS, DeliveryState.DELIVERED, t0.minusSeconds(1)));
		report(status(eventId, "u-2", Channel.EMAIL, DeliveryState.FAILED, t0).withReason("bounced"));
		report(status(eventId, "u-2", Channel.EMAIL, DeliveryState.SENT, t0.plusSeconds(60)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(2);
			assertThat(deliveries.get(0).get("state").stringValue()).isEqualTo("delivered");
			assertThat(deliveries.get(1).get("state").stringValue()).isEqualTo("failed");
			assertThat(deliveries.get(1).get("reason").stringValue()).isEqualTo("bounced");
		});
	}

	@Test
	void aFinalStateOfMoreEvidenceStaysWhateverComesAfterIt() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		// Each pair in two polls, so the script decides, not the batch.
		report(status(eventId, "u-1", Channel.EMAIL, DeliveryState.DELIVERED, t0).withReason("complained"));
		report(status(eventId, "u-2", Channel.SMS, DeliveryState.FAILED, t0).withReason("landline"));
		report(status(eventId, "u-3", Channel.SMS, DeliveryState.DEAD_LETTERED, t0.plusSeconds(60)));
		awaitStates(eventId, "delivered", "failed", "dead-lettered");
		report(status(eventId, "u-1", Channel.EMAIL, DeliveryState.FAILED, t0.plusSeconds(60)).withReason("bounced"));
		report(status(eventId, "u-2", Channel.SMS, DeliveryState.DEAD_LETTERED, t0.plusSeconds(60)));
		report(status(eventId, "u-3", Channel.SMS, DeliveryState.FAILED, t0).withReason("invalid_number"));
		report(status(eventId, "u-4", Channel.SMS, DeliveryState.QUEUED, t0));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(4);
			assertThat(deliveries.get(0).get("state").stringValue()).isEqualTo("delivered");
			assertThat(deliveries.get(0).get("reason").stringValue()).isEqualTo("complained");
			assertThat(deliveries.get(1).get("state").stringValue()).isEqualTo("failed");
			assertThat(deliveries.get(1).get("reason").stringValue()).isEqualTo("landline");
			assertThat(deliveries.get(2).get("state").stringValue()).as("a replayed dead letter's rejection")
				.isEqualTo("failed");
			assertThat(deliveries.get(2).get("reason").stringValue()).isEqualTo("invalid_number");
		});
	}

	private void awaitStates(String eventId, String... states) {
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries.findValuesAsString("state")).containsExactly(states);
		});
	}

	@Test
	void aReadMarkIsForWebhooksAndLeavesTheStatusAtAcknowledged() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.ACKNOWLEDGED, t0));
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.READ, t0.plusSeconds(5)));
		report(status(eventId, "u-2", Channel.INAPP, DeliveryState.DELIVERED, t0.plusSeconds(6)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(2);
			assertThat(deliveries.findValuesAsString("state")).containsExactlyInAnyOrder("acknowledged", "delivered");
		});
	}

	@Test
	void summarisesAFanOutOfMoreThanAThousandRecipients() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		for (int i = 0; i < 1_200; i++) {
			report(status(eventId, "u-" + i, Channel.INAPP, DeliveryState.QUEUED, t0));
		}
		for (int i = 0; i < 900; i++) {
			report(status(eventId, "u-" + i, Channel.INAPP, DeliveryState.DELIVERED, t0.plusSeconds(1)));
		}
		report(status(eventId, "u-1", Channel.EMAIL, DeliveryState.SENT, t0));
		// A push is queued per channel, then reported per device: the devices replace the
		// channel's count.
		for (int i = 0; i < 10; i++) {
			report(status(eventId, "u-" + i, Channel.PUSH, DeliveryState.QUEUED, t0));
		}
		for (int i = 0; i < 4; i++) {
			report(new StatusReported(1, "acme", eventId, "u-" + i, Channel.PUSH, "ios:" + i, DeliveryState.SENT, null,
					null, "apns-" + i, null, t0.plusSeconds(1)));
			report(new StatusReported(1, "acme", eventId, "u-" + i, Channel.PUSH, "android:" + i, DeliveryState.FAILED,
					"invalid_token", null, null, null, t0.plusSeconds(1)));
		}
		stage().flush();

		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			JsonNode body = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json();
			assertThat(body.has("deliveries")).isFalse();
			assertThat(body.get("summary").get("inapp").get("delivered").longValue()).isEqualTo(900);
			assertThat(body.get("summary").get("inapp").get("queued").longValue()).isEqualTo(300);
			assertThat(body.get("summary").get("email").get("sent").longValue()).isEqualTo(1);
			assertThat(body.get("summary").get("push").get("queued").longValue()).isEqualTo(6);
			assertThat(body.get("summary").get("push").get("sent").longValue()).isEqualTo(4);
			assertThat(body.get("summary").get("push").get("failed").longValue()).isEqualTo(4);
		});
	}

	@Test
	void showsEveryUserOfABatchRecordAsADeliveryOfItsOwn() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		List<StatusReported> queued = new ArrayList<>();
		List<StatusReported> delivered = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			queued.add(status(eventId, "u-" + i, Channel.INAPP, DeliveryState.QUEUED, t0));
			if (i < 3) {
				delivered.add(new StatusReported(1, "acme", eventId, "u-" + i, Channel.INAPP, null,
						DeliveryState.DELIVERED, null, null, null, 10L * i, t0.plusSeconds(1)));
			}
		}
		StatusReported.batched(queued, 500).forEach(StatusViewIntegrationTests::report);
		StatusReported.batched(delivered, 500).forEach(StatusViewIntegrationTests::report);

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode deliveries = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("deliveries");
			assertThat(deliveries).hasSize(3);
			Map<String, String> states = new HashMap<>();
			Map<String, Long> seqs = new HashMap<>();
			for (JsonNode delivery : deliveries) {
				states.put(delivery.get("userId").stringValue(), delivery.get("state").stringValue());
				if (delivery.has("seq")) {
					seqs.put(delivery.get("userId").stringValue(), delivery.get("seq").longValue());
				}
			}
			assertThat(states)
				.containsExactlyInAnyOrderEntriesOf(Map.of("u-1", "delivered", "u-2", "delivered", "u-3", "queued"));
			assertThat(seqs).containsExactlyInAnyOrderEntriesOf(Map.of("u-1", 10L, "u-2", 20L));
		});
	}

	@Test
	void summarisesAFanOutReportedInBatches() {
		String eventId = accept();
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		List<StatusReported> queued = new ArrayList<>();
		for (int i = 0; i < 1_500; i++) {
			queued.add(status(eventId, "u-" + i, Channel.INAPP, DeliveryState.QUEUED, t0));
		}
		StatusReported.batched(queued, 500).forEach(StatusViewIntegrationTests::report);
		stage().flush();

		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			JsonNode body = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json();
			assertThat(body.get("summary").get("inapp").get("queued").longValue()).isEqualTo(1_500);
		});
	}

	@Test
	void poisonRecordGoesToTheDeadLetterTopicAndThePartitionMovesOn() {
		String eventId = accept();
		String key = PartitionKeys.event("acme", eventId);
		String poisonMarker = "poison-" + UUID.randomUUID();
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), key,
				("{\"schemaVersion\": 99, \"marker\": \"" + poisonMarker + "\"}").getBytes(StandardCharsets.UTF_8)));
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), key, "not json".getBytes(StandardCharsets.UTF_8)));
		report(status(eventId, "u-1", Channel.INAPP, DeliveryState.DELIVERED, Instant.now()));

		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_KEY)
				.json()
				.get("deliveries")
				.get(0)
				.get("state")
				.stringValue()).isEqualTo("delivered"));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			var deadLetters = EventLog.readAll(SharedInfra.kafka().bootstrapServers(),
					Topics.deadLetter(Topics.STATUS.name()));
			assertThat(deadLetters)
				.filteredOn((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(poisonMarker))
				.singleElement()
				.satisfies((record) -> {
					assertThat(record.key()).isEqualTo(key);
					assertThat(HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
						.isEqualTo("unsupported_schema_version");
					assertThat(HeaderNames.lastValue(record.headers(), "kafka_dlt-original-topic"))
						.isEqualTo(Topics.STATUS.name());
				});
		});
	}

	private String accept() {
		TestApi.Response response = api().post("/v1/events", TestApi.ACME_KEY, TestApi.event("u-1"));
		assertThat(response.status()).isEqualTo(202);
		return response.json().get("eventId").stringValue();
	}

	private static StatusReported status(String eventId, String user, Channel channel, DeliveryState state,
			Instant at) {
		return StatusReported.of("acme", eventId, user, channel, state, at);
	}

	private static void report(StatusReported status) {
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status)));
	}

}
