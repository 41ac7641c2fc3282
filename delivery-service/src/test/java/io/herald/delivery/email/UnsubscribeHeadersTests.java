package io.herald.delivery.email;

import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Priority;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.unsubscribe.UnsubscribeProperties;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UnsubscribeHeadersTests {

	private static final String KEY = "delivery-unit-test-unsubscribe-key-0123456789";

	private final UnsubscribeHeaders headers = headers(KEY, URI.create("https://notify.example.com"));

	@Test
	void everyPriorityButCriticalGetsBothHeadersInOrder() {
		for (Priority priority : List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW)) {
			assertThat(this.headers.of(notification(priority)).keySet()).as(priority.toString())
				.containsExactly("List-Unsubscribe", "List-Unsubscribe-Post");
		}
		assertThat(this.headers.of(notification(Priority.NORMAL)))
			.containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
			.hasEntrySatisfying("List-Unsubscribe", (value) -> assertThat(value)
				.matches("<https://notify\\.example\\.com/v1/unsubscribe/[\\w-]+\\.[\\w-]+>"));
	}

	@Test
	void aCriticalNotificationGetsNone() {
		assertThat(this.headers.of(notification(Priority.CRITICAL))).isEmpty();
	}

	@Test
	void everyTryOfASendCarriesTheSameLink() {
		DeliverNotification notification = notification(Priority.NORMAL);

		assertThat(this.headers.of(notification)).isEqualTo(this.headers.of(notification));
	}

	@Test
	void withoutAKeyOrABaseUrlNoEmailGetsThem() {
		for (UnsubscribeHeaders off : List.of(headers(null, URI.create("https://notify.example.com")),
				headers(KEY, null))) {
			assertThat(off.enabled()).isFalse();
			assertThat(off.of(notification(Priority.LOW))).isEqualTo(Map.of());
		}
	}

	private static UnsubscribeHeaders headers(String key, URI baseUrl) {
		return new UnsubscribeHeaders(
				new UnsubscribeLinks(new UnsubscribeProperties(key, null, baseUrl, null), Clock.systemUTC()));
	}

	private static DeliverNotification notification(Priority priority) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "acme", "e-1", "n-1", "u-42", priority,
				"marketing.spring",
				new ChannelMessage.Email("ada@example.com", "Spring sale", "Everything half price", null), Map.of(),
				Instant.parse("2026-03-01T10:00:00Z"), null);
	}

}
