package io.herald.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A digest's notification names the events it lists (docs/adr/036), so that each of its
 * statuses is also the status of every one of them.
 */
class DigestRecordsTests {

	private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void aStatusOfADigestStandsForEachEventItListsWithEverythingElseTheSame() {
		DeliverNotification digest = digest().withDigestOf(List.of("evt-1", "evt-2"));
		StatusReported sent = new StatusReported(StatusReported.SCHEMA_VERSION, "acme", digest.eventId(), "u-42",
				Channel.EMAIL, null, DeliveryState.SENT, null, null, "smtp-1", null, AT);

		assertThat(sent.alsoFor(digest.digestOf()))
			.extracting(StatusReported::eventId, StatusReported::state, StatusReported::providerId, StatusReported::at)
			.containsExactly(tuple("digest-1", DeliveryState.SENT, "smtp-1", AT),
					tuple("evt-1", DeliveryState.SENT, "smtp-1", AT), tuple("evt-2", DeliveryState.SENT, "smtp-1", AT));
		assertThat(sent.alsoFor(digest().digestOf())).containsExactly(sent);
	}

	@Test
	void aDigestListsAtMostAThousandEventsOfOneUser() {
		List<String> thousand = IntStream.range(0, DeliverNotification.MAX_DIGEST_ITEMS)
			.mapToObj((i) -> "evt-" + i)
			.toList();
		assertThat(digest().withDigestOf(thousand).digestOf()).hasSize(1000);
		assertThatIllegalArgumentException().isThrownBy(
				() -> digest().withDigestOf(IntStream.rangeClosed(0, 1000).mapToObj((i) -> "evt-" + i).toList()));
		DeliverNotification digest = digest();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DeliverNotification(DeliverNotification.BATCH_SCHEMA_VERSION, digest.tenant(),
					digest.eventId(), digest.notificationId(), digest.userId(), digest.priority(), digest.category(),
					digest.message(), digest.data(), digest.createdAt(), null, List.of(), List.of("u-43"),
					List.of("evt-1")));
	}

	@Test
	void aNotificationThatIsNoDigestWritesNoListAndReadsBackEmpty() {
		DeliverNotification plain = digest();
		byte[] json = Topics.deliver(Channel.EMAIL, Lane.BULK).codec().encode(plain);

		assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("digestOf");
		assertThat(Topics.deliver(Channel.EMAIL, Lane.BULK).codec().decode(json).digestOf()).isEmpty();
	}

	private static DeliverNotification digest() {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "acme", "digest-1",
				DeliverNotification.notificationId("digest-1", "u-42", Channel.EMAIL), "u-42", Priority.NORMAL,
				"comment.*", new ChannelMessage.Email("jane@example.com", "2 new notifications", "text", null),
				Map.of(), AT, null);
	}

}
