package io.herald.ingestion;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code DELETE /v1/events/{eventId}} against a real broker and Redis (docs/adr/029). */
class EventCancellationIntegrationTests extends IngestionIntegrationTest {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void cancellationFollowsTheEventOnItsLogUnderItsKey() {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-1"));

		TestApi.Response response = delete(eventId, TestApi.ACME_KEY);

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("eventId").stringValue()).isEqualTo(eventId);
		assertThat(response.json().get("status").stringValue()).isEqualTo("cancelled");
		List<ConsumerRecord<String, byte[]>> records = EventLog
			.readAll(SharedInfra.kafka().bootstrapServers(), Topics.EVENTS.name())
			.stream()
			.filter((record) -> eventId.equals(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)))
			.toList();
		assertThat(records).hasSize(2);
		ConsumerRecord<String, byte[]> event = records.get(0);
		ConsumerRecord<String, byte[]> cancellation = records.get(1);
		assertThat(cancellation.key()).isEqualTo(PartitionKeys.user("acme", "u-cancel-1")).isEqualTo(event.key());
		assertThat(cancellation.partition()).isEqualTo(event.partition());
		assertThat(cancellation.offset()).isGreaterThan(event.offset());
		assertThat(EventCancelled.isCancellation(cancellation.headers())).isTrue();
		EventCancelled decoded = EventCancelled.CODEC.decode(cancellation.value());
		assertThat(decoded.tenant()).isEqualTo("acme");
		assertThat(decoded.eventId()).isEqualTo(eventId);
		assertThat(decoded.reason()).isEqualTo(EventCancelled.BY_API);
		// What routing needs to retract the event's in-app notifications, read back from
		// the log.
		assertThat(decoded.recipients()).isEqualTo(new Recipients.Users(List.of("u-cancel-1")));
		assertThat(decoded.priority()).isEqualTo(Priority.NORMAL);
		assertThat(decoded.retractsInApp()).isTrue();
		// And the mark delivery checks before every send.
		assertThat(this.redis.opsForValue().get(EventCancelled.redisKey("acme", eventId)))
			.isEqualTo(EventCancelled.BY_API);
		assertThat(this.redis.getExpire(EventCancelled.redisKey("acme", eventId))).isPositive();
	}

	@Test
	void cancellationOfACriticalEventGoesToTheCriticalLog() {
		String eventId = acceptedAndVisible("""
				{"type": "security.alert", "recipients": {"users": ["u-1", "u-2"]}, "priority": "critical",
				 "content": {"title": "New sign-in", "body": "From a new device"}}""");

		assertThat(delete(eventId, TestApi.ACME_KEY).status()).isEqualTo(202);

		assertThat(EventLog.readAll(SharedInfra.kafka().bootstrapServers(), Topics.CRITICAL_EVENTS.name()))
			.filteredOn((record) -> eventId.equals(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)))
			.hasSize(2)
			.last()
			.satisfies((record) -> {
				assertThat(record.key()).isEqualTo(PartitionKeys.event("acme", eventId));
				assertThat(EventCancelled.isCancellation(record.headers())).isTrue();
			});
	}

	@Test
	void aSecondDeleteIsAcceptedAndWritesNothingMore() {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-2"));
		TestApi.Response first = delete(eventId, TestApi.ACME_KEY);

		TestApi.Response second = delete(eventId, TestApi.ACME_KEY);

		assertThat(second.status()).isEqualTo(202);
		assertThat(second.json().get("cancelledAt")).isEqualTo(first.json().get("cancelledAt"));
		assertThat(EventLog.readAll(SharedInfra.kafka().bootstrapServers(), Topics.EVENTS.name()))
			.filteredOn((record) -> eventId.equals(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)))
			.filteredOn((record) -> EventCancelled.isCancellation(record.headers()))
			.hasSize(1);
	}

	@Test
	void concurrentDeletesOfOneEventAllAnswerTheFirstCancelledAtAndAppendOneCancellation() throws Exception {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-6"));

		List<TestApi.Response> responses = concurrently(8, () -> delete(eventId, TestApi.ACME_KEY));

		assertThat(responses).extracting(TestApi.Response::status).containsOnly(202);
		List<String> answered = responses.stream()
			.map((response) -> response.json().get("cancelledAt").stringValue())
			.distinct()
			.toList();
		assertThat(answered).hasSize(1);
		List<EventCancelled> cancellations = EventLog
			.readAll(SharedInfra.kafka().bootstrapServers(), Topics.EVENTS.name())
			.stream()
			.filter((record) -> eventId.equals(HeaderNames.lastValue(record.headers(), HeaderNames.CE_ID)))
			.filter((record) -> EventCancelled.isCancellation(record.headers()))
			.map((record) -> EventCancelled.CODEC.decode(record.value()))
			.toList();
		assertThat(cancellations).singleElement().satisfies((cancellation) -> {
			assertThat(cancellation.cancelledAt()).isEqualTo(Instant.parse(answered.get(0)));
			assertThat(cancellation.recipients()).isEqualTo(new Recipients.Users(List.of("u-cancel-6")));
		});
		assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().get("cancelledAt").stringValue())
			.isEqualTo(answered.get(0));
	}

	@Test
	void concurrentDeletesOfDifferentEventsEachCancelTheirOwnEventWithItsRecipients() throws Exception {
		List<String> eventIds = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			eventIds.add(acceptedAndVisible(TestApi.event("u-cancel-many-" + i)));
		}
		AtomicInteger next = new AtomicInteger();

		List<TestApi.Response> responses = concurrently(eventIds.size(),
				() -> delete(eventIds.get(next.getAndIncrement()), TestApi.ACME_KEY));

		assertThat(responses).extracting(TestApi.Response::status).containsOnly(202);
		Map<String, EventCancelled> cancellations = new HashMap<>();
		EventLog.readAll(SharedInfra.kafka().bootstrapServers(), Topics.EVENTS.name())
			.stream()
			.filter((record) -> EventCancelled.isCancellation(record.headers()))
			.map((record) -> EventCancelled.CODEC.decode(record.value()))
			.filter((cancellation) -> eventIds.contains(cancellation.eventId()))
			.forEach((cancellation) -> cancellations.put(cancellation.eventId(), cancellation));
		assertThat(cancellations).hasSize(eventIds.size());
		for (int i = 0; i < eventIds.size(); i++) {
			assertThat(cancellations.get(eventIds.get(i)).recipients())
				.isEqualTo(new Recipients.Users(List.of("u-cancel-many-" + i)));
		}
	}

	@Test
	void theStatusShowsWhenTheEventWasCancelledAndWhatTheCancellationStopped() {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-3"));
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		report(StatusReported.of("acme", eventId, "u-cancel-3", Channel.SMS, DeliveryState.DEFERRED, t0));
		report(StatusReported.of("acme", eventId, "u-cancel-3", Channel.EMAIL, DeliveryState.SENT, t0));
		TestApi.Response cancelled = delete(eventId, TestApi.ACME_KEY);
		report(StatusReported.of("acme", eventId, "u-cancel-3", Channel.SMS, DeliveryState.CANCELLED, t0.plusSeconds(1))
			.withReason(EventCancelled.BY_API));
		// A late record of an earlier stage never overwrites the cancellation.
		report(StatusReported.of("acme", eventId, "u-cancel-3", Channel.SMS, DeliveryState.QUEUED, t0.plusSeconds(2)));

		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			JsonNode body = api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json();
			assertThat(body.get("cancelledAt").stringValue())
				.isEqualTo(cancelled.json().get("cancelledAt").stringValue());
			assertThat(body.get("deliveries").findValuesAsString("state")).containsExactlyInAnyOrder("cancelled",
					"sent");
			assertThat(body.get("deliveries").findValuesAsString("reason")).containsExactly(EventCancelled.BY_API);
		});
	}

	@Test
	void anUnknownEventOrOneOfAnotherTenantIsNotFound() {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-4"));

		TestApi.Response otherTenant = delete(eventId, TestApi.GLOBEX_KEY);
		TestApi.Response unknown = delete(UUID.randomUUID().toString(), TestApi.ACME_KEY);

		assertThat(otherTenant.status()).isEqualTo(404);
		assertThat(otherTenant.json().get("code").stringValue()).isEqualTo("not_found");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().has("cancelledAt")).isFalse();
	}

	@Test
	void aDeleteWithoutAKeyOrWithAReadOnlyKeyCancelsNothing() {
		String eventId = acceptedAndVisible(TestApi.event("u-cancel-5"));

		TestApi.Response anonymous = api().send(api().request("/v1/events/" + eventId).DELETE());
		TestApi.Response reader = delete(eventId, TestApi.ACME_READER_KEY);

		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(reader.status()).isEqualTo(403);
		assertThat(reader.json().get("code").stringValue()).isEqualTo("forbidden");
		assertThat(api().get("/v1/events/" + eventId, TestApi.ACME_KEY).json().has("cancelledAt")).isFalse();
	}

	@Test
	void anIdNoEventCanHaveIsABadRequestNamingIt() {
		for (String id : List.of("x".repeat(101), "a@b", "a+b")) {
			TestApi.Response response = delete(id, TestApi.ACME_KEY);
			assertThat(response.status()).as(id).isEqualTo(400);
			assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
			assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo("eventId");
		}
	}

	private String acceptedAndVisible(String event) {
		TestApi.Response accepted = api().post("/v1/events", TestApi.ACME_KEY, event);
		assertThat(accepted.status()).isEqualTo(202);
		String eventId = accepted.json().get("eventId").stringValue();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api().get("/v1/events/" + eventId, TestApi.ACME_KEY).status() == 200);
		return eventId;
	}

	/** Runs a request on as many threads at once, and returns their responses. */
	private static List<TestApi.Response> concurrently(int threads, Supplier<TestApi.Response> request)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CyclicBarrier start = new CyclicBarrier(threads);
			List<Future<TestApi.Response>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return request.get();
				}));
			}
			List<TestApi.Response> responses = new ArrayList<>();
			for (Future<TestApi.Response> future : futures) {
				responses.add(future.get());
			}
			return responses;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private TestApi.Response delete(String eventId, String apiKey) {
		return api().send(api().request("/v1/events/" + eventId).header("Authorization", "Bearer " + apiKey).DELETE());
	}

	private static void report(StatusReported status) {
		stage().send(new ProducerRecord<>(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status)));
		stage().flush();
	}

}
