package io.herald.gateway.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The limits of a notification's JSON in an inbox, shared by the writer and the readers.
 */
class StoredNotificationsTests {

	@Test
	void notificationWithinTheLimitsKeepsThemAndIsServedAsStored() {
		String json = notification("{\"orderId\":\"981\",\"text\":\"[[[{{{ \\\" ]]]\"}");
		assertThat(StoredNotifications.violation(json)).isNull();
		assertThat(StoredNotifications.servable(json)).isSameAs(json);
		assertThat(StoredNotifications.read(json).data()).containsEntry("orderId", "981");
	}

	@Test
	void dataNestedToTheLimitKeepsItAndOneLevelMoreBreaksIt() {
		assertThat(StoredNotifications.violation(notification(nested(StoredNotifications.MAX_DEPTH - 1)))).isNull();
		assertThat(StoredNotifications.violation(notification(nested(StoredNotifications.MAX_DEPTH))))
			.contains("nests deeper than the inbox's limit of " + StoredNotifications.MAX_DEPTH);
	}

	@Test
	void notificationLongerThanTheLimitBreaksIt() {
		String json = notification("{\"pad\":\"" + "x".repeat(StoredNotifications.MAX_LENGTH) + "\"}");
		assertThat(StoredNotifications.violation(json)).contains("characters long");
	}

	@Test
	void entryTooDeepForItsReadersIsReadAndServedWithEmptyData() {
		String json = notification(nested(498));
		InboxNotification read = StoredNotifications.read(json);
		assertThat(read.title()).isEqualTo("Your order shipped");
		assertThat(read.id()).isEqualTo("n-1");
		assertThat(read.data()).isEmpty();
		String served = StoredNotifications.servable(json);
		assertThat(StoredNotifications.violation(served)).isNull();
		assertThat(served).contains("\"data\":{}").contains("\"title\":\"Your order shipped\"");
	}

	@Test
	void entryThatIsNoNotificationCannotBeRead() {
		assertThatRuntimeException().isThrownBy(() -> StoredNotifications.read("not json"));
		assertThatRuntimeException().isThrownBy(() -> StoredNotifications.read("[1]"));
		assertThatRuntimeException().isThrownBy(() -> StoredNotifications.servable("garbage"));
		assertThatRuntimeException().isThrownBy(() -> StoredNotifications.servable("{\"id\":"));
	}

	static String notification(String data) {
		return "{\"id\":\"n-1\",\"eventId\":\"evt-1\",\"category\":\"order.shipped\",\"priority\":\"high\","
				+ "\"title\":\"Your order shipped\",\"body\":\"Order 981\",\"data\":" + data
				+ ",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
	}

	/** A data object nested {@code levels} deep, itself included. */
	static String nested(int levels) {
		return "{\"d\":".repeat(levels - 1) + "{\"leaf\":1}" + "}".repeat(levels - 1);
	}

}
