package io.herald.gateway.session;

import io.herald.events.JsonCodec;
import io.herald.gateway.inbox.InboxState;

/**
 * The frames the gateway sends, besides notifications (which come ready-made from the
 * inbox).
 */
final class ServerFrames {

	static final String PONG = "{\"type\":\"pong\"}";

	private ServerFrames() {
	}

	static String hello(String session, String user, InboxState state, long heartbeatSec) {
		return json(new Hello("hello", session, user, state.lastSeq(), state.unread(), heartbeatSec));
	}

	static String resumed(long upTo) {
		return "{\"type\":\"resumed\",\"upTo\":" + upTo + "}";
	}

	static String reset(ResetReason reason, long oldestSeq) {
		return json(new Reset("reset", reason.wireName(), oldestSeq));
	}

	static String error(FrameError code, String message) {
		return json(new Error("error", code.wireName(), message));
	}

	private static String json(Object frame) {
		return JsonCodec.MAPPER.writeValueAsString(frame);
	}

	record Hello(String type, String session, String user, long lastSeq, long unread, long heartbeatSec) {
	}

	record Reset(String type, String reason, long oldestSeq) {
	}

	record Error(String type, String code, String message) {
	}

}
