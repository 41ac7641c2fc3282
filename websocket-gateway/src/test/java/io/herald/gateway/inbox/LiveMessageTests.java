package io.herald.gateway.inbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How live messages are written for another node's channel and read there. */
class LiveMessageTests {

	@Test
	void readsAnAppendedNotificationWithItsSeqTimeAndReadyMadeFrame() {
		String frame = "{\"type\":\"notification\",\"seq\":124,\"title\":\"a b  c\",\"body\":\"x y\"}";
		assertThat(LiveMessage.parse("n 124 1717243200000 " + frame))
			.isEqualTo(new LiveMessage.Notification(124, 1717243200000L, frame, null));
	}

	@Test
	void readsTheTraceContextOfAnAppendBeforeItsFrame() {
		String frame = "{\"type\":\"notification\",\"seq\":7}";
		String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
		assertThat(LiveMessage.parse("t 7 1717243200000 " + traceparent + " " + frame))
			.isEqualTo(new LiveMessage.Notification(7, 1717243200000L, frame, traceparent));
	}

	@Test
	void readsAMovedReadCursorWithItsReadyMadeFrame() {
		String frame = "{\"type\":\"unread\",\"count\":0,\"readUpTo\":124}";
		assertThat(LiveMessage.parse("u " + frame)).isEqualTo(new LiveMessage.Unread(frame));
	}

	@Test
	void readsAnErasure() {
		assertThat(LiveMessage.parse(LiveMessage.ERASED)).isEqualTo(new LiveMessage.Erased());
	}

	@Test
	void everyMessageIsReadBackFromItsText() {
		String json = "{\"id\":\"n-1\",\"title\":\"a b\"}";
		List<LiveMessage> messages = List.of(LiveMessage.Notification.of(12, 1717243200000L, json, null),
				LiveMessage.Notification.of(13, 0, json, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
				LiveMessage.Unread.of(3, 7), new LiveMessage.Erased());
		assertThat(messages).allSatisfy((message) -> assertThat(LiveMessage.parse(message.text())).isEqualTo(message));
		assertThat(((LiveMessage.Notification) messages.get(0)).frame())
			.isEqualTo("{\"type\":\"notification\",\"seq\":12,\"id\":\"n-1\",\"title\":\"a b\"}");
		assertThat(((LiveMessage.Unread) messages.get(2)).frame())
			.isEqualTo("{\"type\":\"unread\",\"count\":3,\"readUpTo\":7}");
	}

	@Test
	void aNodesChannelCarriesOneLinePerUserAndMessageInOrder() {
		StringBuilder lines = new StringBuilder();
		LiveMessage first = LiveMessage.Notification.of(1, 5, "{\"id\":\"a\"}", null);
		LiveMessage second = LiveMessage.Unread.of(0, 1);
		LiveMessage.appendLine(lines, "acme", "u-1", first);
		LiveMessage.appendLine(lines, "acme", "u:2@x.org", second);
		LiveMessage.appendLine(lines, "other", "u-1", new LiveMessage.Erased());
		List<String> delivered = new ArrayList<>();

		int invalid = LiveMessage.deliverLines(lines.toString(),
				(tenant, userId, message, size) -> delivered.add(tenant + "/" + userId + "/" + message.text()));

		assertThat(invalid).isZero();
		assertThat(delivered).containsExactly("acme/u-1/" + first.text(), "acme/u:2@x.org/" + second.text(),
				"other/u-1/x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "acme", "acme u-1", "acme u-1 ", "acme u-1 hello", " u-1 x", "acme  x", "acme u-1 n 1",
			"acme u-1 n 1 2", "acme u-1 u" })
	void aLineInNoKnownFormatIsCountedAndSkippedAndTheOthersDelivered(String line) {
		List<String> delivered = new ArrayList<>();

		int invalid = LiveMessage.deliverLines("acme u-6 x\n" + line + "\nacme u-7 x",
				(tenant, userId, message, size) -> delivered.add(userId));

		assertThat(invalid).isOne();
		assertThat(delivered).containsExactly("u-6", "u-7");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "?", "hello", "{\"type\":\"notification\"}", "n", "n ", "n 12", "n 12 ",
			"n 12 1717243200000", "n x 1717243200000 {}", "n 12 later {}", "n  12 1717243200000 {}", "n 1.5 3 {}",
			"n 99999999999999999999 1 {}", "u", "N 1 2 {}", "U {}", " n 1 2 {}", "xylophone", "x 1", "u{}", "nX5 6 {}",
			"n -5 6 {}", "n +5 6 {}", "n 5 -6 {}", "n 1 2 ", "n 0 2 {}", "t 1 2 {}", "t 1 2 00-ab ", "t 1 2  {}",
			"t 0 2 00-ab {}", "T 1 2 00-ab {}" })
	void returnsNullForGarbage(String text) {
		assertThat(LiveMessage.parse(text)).isNull();
	}

}
