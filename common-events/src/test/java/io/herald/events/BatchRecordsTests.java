package io.herald.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Records that carry one outcome for many users (docs/adr/018): they turn back into
 * exactly the records one user at a time would have been, and readers that do not know
 * them refuse them.
 */
class BatchRecordsTests {

	private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void aBatchOfNotificationsGivesEachUserTheIdItWouldHaveAlone() {
		DeliverNotification first = notification("u-1");
		DeliverNotification batch = DeliverNotification.batch(first, List.of("u-1", "u-2", "u-3"));

		assertThat(batch.manyUsers()).isTrue();
		assertThat(batch.schemaVersion()).isEqualTo(DeliverNotification.BATCH_SCHEMA_VERSION);
		assertThat(batch.key()).isEqualTo(first.key());
		assertThat(batch.perUser()).containsExactly(first, notification("u-2"), notification("u-3"));
	}

	@Test
	void aBatchOfOneUserIsAPlainNotification() {
		DeliverNotification first = notification("u-1");

		assertThat(DeliverNotification.batch(first, List.of("u-1"))).isSameAs(first);
		assertThat(first.manyUsers()).isFalse();
		assertThat(first.perUser()).containsExactly(first);
	}

	@Test
	void aBatchStartsWithItsFirstNotificationsUser() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DeliverNotification.batch(notification("u-1"), List.of("u-2", "u-1")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DeliverNotification.batch(notification("u-1"), List.of()));
	}

	@Test
	void aBatchNeedsItsSchemaVersion() {
		DeliverNotification one = notification("u-1");
		assertThatIllegalArgumentException().isThrownBy(() -> new DeliverNotification(1, one.tenant(), one.eventId(),
				one.notificationId(), one.userId(), one.priority(), one.category(), one.message(), one.data(),
				one.createdAt(), null, List.of(), List.of("u-2")));
		StatusReported status = delivered("u-1", 1);
		assertThatIllegalArgumentException().isThrownBy(() -> new StatusReported(1, status.tenant(), status.eventId(),
				"u-1", Channel.INAPP, null, DeliveryState.DELIVERED, null, null, null, 1L, AT,
				List.of(new StatusReported.Recipient("u-2", 2L))));
	}

	@Test
	void aProviderLaneRefusesABatchAsANewerSchema() {
		byte[] batch = Topics.deliver(Channel.INAPP, Lane.BULK)
			.codec()
			.encode(DeliverNotification.batch(notification("u-1"), List.of("u-1", "u-2")));

		for (Channel channel : List.of(Channel.PUSH, Channel.SMS, Channel.EMAIL)) {
			assertThatExceptionOfType(RecordDecodingException.class)
				.isThrownBy(() -> Topics.deliver(channel, Lane.BULK).codec().decode(batch))
				.satisfies((ex) -> assertThat(ex.reason())
					.isEqualTo(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION));
		}
	}

	@Test
	void aReaderOfOneUserRecordsRefusesABatchRatherThanApplyItToTheFirstUser() {
		byte[] batch = JsonCodecTests.golden("status-reported-delivered-batch.json");
		JsonCodec<StatusReported> oneAtATime = new JsonCodec<>(StatusReported.class, StatusReported.SCHEMA_VERSION);

		assertThatExceptionOfType(RecordDecodingException.class).isThrownBy(() -> oneAtATime.decode(batch));
		assertThat(Topics.STATUS.codec().decode(batch).perUser())
			.extracting(StatusReported::userId, StatusReported::seq)
			.containsExactly(tuple("u-1", 17L), tuple("u-13", 4L), tuple("u-25", 230L));
	}

	@Test
	void statusesThatDifferOnlyInUserAndSeqFoldIntoBatchesOfAtMostTheLimit() {
		List<StatusReported> records = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			records.add(delivered("u-" + i, i + 1));
		}

		List<StatusReported> batches = StatusReported.batched(records, 3);

		assertThat(batches).hasSize(3);
		assertThat(batches.get(0).batch()).hasSize(2);
		assertThat(batches.get(2).manyUsers()).isFalse();
		assertThat(batches).flatMap(StatusReported::perUser).containsExactlyElementsOf(records);
	}

	@Test
	void foldingKeepsTheOrderOfEveryUsersRecordsAndLeavesDevicesAlone() {
		StatusReported queuedOne = status("u-1", Channel.INAPP, DeliveryState.QUEUED, null);
		StatusReported pushOne = status("u-1", Channel.PUSH, DeliveryState.QUEUED, null);
		StatusReported queuedTwo = status("u-2", Channel.INAPP, DeliveryState.QUEUED, null);
		StatusReported pushTwo = status("u-2", Channel.PUSH, DeliveryState.QUEUED, null);
		StatusReported expiredOne = status("u-1", Channel.INAPP, DeliveryState.EXPIRED, null);
		StatusReported sentOne = status("u-1", Channel.PUSH, DeliveryState.SENT, "ios:abc");
		StatusReported queuedThree = status("u-3", Channel.INAPP, DeliveryState.QUEUED, null);

		List<StatusReported> batches = StatusReported
			.batched(List.of(queuedOne, pushOne, queuedTwo, pushTwo, expiredOne, sentOne, queuedThree), 500);

		List<StatusReported> perUser = batches.stream().flatMap((batch) -> batch.perUser().stream()).toList();
		assertThat(perUser).containsExactlyInAnyOrder(queuedOne, pushOne, queuedTwo, pushTwo, expiredOne, sentOne,
				queuedThree);
		assertThat(perUser).filteredOn((status) -> status.userId().equals("u-1") && status.channel() == Channel.INAPP)
			.containsExactly(queuedOne, expiredOne);
		assertThat(perUser).filteredOn((status) -> status.userId().equals("u-1") && status.channel() == Channel.PUSH)
			.containsExactly(pushOne, sentOne);
		assertThat(batches).filteredOn(StatusReported::manyUsers)
			.extracting(StatusReported::channel, StatusReported::state)
			.containsExactly(tuple(Channel.INAPP, DeliveryState.QUEUED), tuple(Channel.PUSH, DeliveryState.QUEUED));
		assertThat(batches).filteredOn((batch) -> batch.device() != null).containsExactly(sentOne);
	}

	@Test
	void aBatchIsReadBackAsTheSameRecord() {
		StatusReported batch = StatusReported.batched(List.of(delivered("u-1", 1), delivered("u-2", 9)), 500).get(0);
		byte[] json = Topics.STATUS.codec().encode(batch);

		assertThat(Topics.STATUS.codec().decode(json)).isEqualTo(batch);
		assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"batch\":[{\"userId\":\"u-2\",\"seq\":9}]");
	}

	@Test
	void aCountedBatchNamesItsCountForEveryUser() {
		String count = Counts.id("evt-9", Channel.INAPP, List.of("u-1", "u-2"));
		DeliverNotification batch = DeliverNotification.batch(notification("u-1"), List.of("u-1", "u-2"), count);

		assertThat(batch.countedAs()).isEqualTo(count);
		assertThat(batch.perUser()).extracting(DeliverNotification::userId, DeliverNotification::countedAs)
			.containsExactly(tuple("u-1", count), tuple("u-2", count));
		assertThat(Topics.deliver(Channel.INAPP, Lane.BULK)
			.codec()
			.decode(Topics.deliver(Channel.INAPP, Lane.BULK).codec().encode(batch))).isEqualTo(batch);
		assertThat(DeliverNotification.batch(notification("u-1"), List.of("u-1"), count).countedAs())
			.as("a single user's queued is reported on its own")
			.isNull();
		assertThat(new String(Topics.deliver(Channel.INAPP, Lane.BULK).codec().encode(notification("u-1")),
				StandardCharsets.UTF_8))
			.doesNotContain("countedAs");
	}

	@Test
	void statusesOfACountFoldApartFromOthersAndKeepItThroughEveryUser() {
		String count = Counts.id("evt-9", Channel.INAPP, List.of("u-1", "u-2"));
		StatusReported counted = delivered("u-1", 1).withCountedAs(count);
		StatusReported countedToo = delivered("u-2", 2).withCountedAs(count);
		StatusReported alone = delivered("u-3", 3);

		List<StatusReported> batches = StatusReported.batched(List.of(counted, alone, countedToo), 500);

		assertThat(batches).extracting(StatusReported::countedAs).containsExactly(count, null);
		assertThat(batches.get(0).perUser()).containsExactly(counted, countedToo);
		assertThat(Topics.STATUS.codec().decode(Topics.STATUS.codec().encode(batches.get(0))))
			.isEqualTo(batches.get(0));
		assertThat(batches.get(0).isCount()).as("a count is a queued").isFalse();
		assertThat(status("u-1", Channel.INAPP, DeliveryState.QUEUED, null).withCountedAs(count).isCount()).isTrue();
	}

	@Test
	void aCountsIdDependsOnTheEventChannelAndUsersInOrder() {
		String id = Counts.id("evt-9", Channel.INAPP, List.of("u-1", "u-2"));

		assertThat(id).hasSize(Counts.ID_LENGTH).matches("[0-9a-f]{16}");
		assertThat(Counts.isId(id)).isTrue();
		assertThat(Counts.id("evt-9", Channel.INAPP, List.of("u-1", "u-2"))).isEqualTo(id);
		assertThat(Counts.id("evt-9", Channel.INAPP, List.of("u-2", "u-1"))).isNotEqualTo(id);
		assertThat(Counts.id("evt-8", Channel.INAPP, List.of("u-1", "u-2"))).isNotEqualTo(id);
		assertThat(Counts.id("evt-9", Channel.INAPP, List.of("u-1", "u-2", "u-3"))).isNotEqualTo(id);
	}

	@Test
	void aRecordNamingAMalformedCountIsRefused() {
		for (String hostile : List.of("", "../../etc", "0123456789ABCDEF", "0123456789abcdef0", "0123,56789abcdef",
				"0123|56789abcdef")) {
			String json = "{\"schemaVersion\":1,\"tenant\":\"acme\",\"eventId\":\"evt-9\",\"userId\":\"u-1\","
					+ "\"channel\":\"inapp\",\"state\":\"delivered\",\"seq\":3,\"at\":\"2026-11-22T10:00:00Z\","
					+ "\"countedAs\":" + JsonCodec.MAPPER.writeValueAsString(hostile) + "}";
			assertThatExceptionOfType(RecordDecodingException.class)
				.isThrownBy(() -> Topics.STATUS.codec().decode(json.getBytes(StandardCharsets.UTF_8)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
		}
	}

	private static DeliverNotification notification(String user) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "acme", "evt-9",
				DeliverNotification.notificationId("evt-9", user, Channel.INAPP), user, Priority.NORMAL, "deals.weekly",
				new ChannelMessage.InApp("This week's deals", "Up to 30 % off"), Map.of(), AT, null);
	}

	private static StatusReported delivered(String user, long seq) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, "acme", "evt-9", user, Channel.INAPP, null,
				DeliveryState.DELIVERED, null, null, null, seq, AT);
	}

	private static StatusReported status(String user, Channel channel, DeliveryState state, String device) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, "acme", "evt-9", user, channel, device, state, null,
				null, (device != null) ? "apns-1" : null, null, AT);
	}

}
