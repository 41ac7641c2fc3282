package io.herald.gateway.inbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How the messages the inbox scripts publish on a user's live channel are read. */
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
	void readsWhatTheSessionsForwardAsTheSameFramesTheScriptsWrote() {
		// inbox-cursor.lua's format, byte for byte
		String published = "u {\"type\":\"unread\",\"count\":3,\"readUpTo\":7}";
		LiveMessage message = LiveMessage.parse(published);
		assertThat(message).isInstanceOfSatisfying(LiveMessage.Unread.class,
				(unread) -> assertThat(unread.frame()).isEqualTo(published.substring(2)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "?", "hello", "{\"type\":\"notification\"}", "n", "n ", "n 12", "n 12 ",
			"n 12 1717243200000", "n x 1717243200000 {}", "n 12 later {}", "n  12 1717243200000 {}", "n 1.5 3 {}",
			"n 99999999999999999999 1 {}", "u", "N 1 2 {}", "U {}", " n 1 2 {}", "xylophone", "x 1", "u{}",
			"nX5 6 {}", "n -5 6 {}", "n +5 6 {}", "n 5 -6 {}", "n 1 2 ", "n 0 2 {}", "t 1 2 {}", "t 1 2 00-ab ",
			"t 1 2  {}", "t 0 2 00-ab {}", "T 1 2 00-ab {}" })
	void returnsNullForGarbage(String text) {
		assertThat(LiveMessage.parse(text)).isNull();
	}

}
