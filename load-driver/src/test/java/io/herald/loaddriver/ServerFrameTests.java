package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerFrameTests {

	@Test
	void readsSeqAndKeyOfANotification() {
		ServerFrame frame = ServerFrame.parse("""
				{"type":"notification","seq":124,"id":"n-1","eventId":"e-1","category":"bench.targeted",\
				"priority":"high","title":"t","body":"b","data":{"sentAtNanos":123456789,"k":42},\
				"createdAt":"2026-11-22T18:00:00Z"}""");
		assertThat(frame).isEqualTo(new ServerFrame("notification", 124, 42, -1, -1));
	}

	@Test
	void readsLastSeqAndHeartbeatOfHello() {
		ServerFrame frame = ServerFrame.parse(
				"{\"type\":\"hello\",\"session\":\"s\",\"user\":\"u-42\",\"lastSeq\":123,\"unread\":4,\"heartbeatSec\":25}");
		assertThat(frame).isEqualTo(new ServerFrame("hello", -1, -1, 123, 25));
	}

	@Test
	void notificationWithoutTheDriversKeyHasNone() {
		assertThat(
				ServerFrame.parse("{\"type\":\"notification\",\"seq\":1,\"data\":{\"orderId\":\"981\"},\"k\":5}").key())
			.isEqualTo(-1);
	}

	@Test
	void otherFramesAreKnownByTypeOnly() {
		assertThat(ServerFrame.parse("{\"type\":\"pong\"}")).isEqualTo(new ServerFrame("pong", -1, -1, -1, -1));
		assertThat(ServerFrame.parse("not json").type()).isEqualTo("?");
	}

}
