package io.herald.gateway.session;

import io.herald.events.JsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A frame a client sends (API.md section 3). */
sealed interface ClientFrame {

	/**
	 * Reads a client frame.
	 * @return the frame, or {@link Invalid} saying what is wrong with it
	 */
	static ClientFrame parse(String text) {
		JsonNode node;
		try {
			node = JsonCodec.MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			return new Invalid("the frame is not JSON");
		}
		if (node == null || !node.isObject()) {
			return new Invalid("a frame is a JSON object");
		}
		JsonNode type = node.get("type");
		if (type == null || !type.isString()) {
			return new Invalid("a frame needs a string 'type'");
		}
		return switch (type.stringValue()) {
			case "resume" -> seq(node, "since", Resume::new);
			case "ack" -> seq(node, "upTo", Ack::new);
			case "read" -> seq(node, "upTo", Read::new);
			case "ping" -> new Ping();
			default -> new Invalid("unknown frame type; expected resume, ack, read or ping");
		};
	}

	private static ClientFrame seq(JsonNode node, String field, java.util.function.LongFunction<ClientFrame> frame) {
		JsonNode value = node.get(field);
		if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
			return new Invalid("'" + field + "' must be a seq: an integer of at least 0");
		}
		return frame.apply(value.longValue());
	}

	/** Type tag for metrics. */
	default String type() {
		return switch (this) {
			case Resume resume -> "resume";
			case Ack ack -> "ack";
			case Read read -> "read";
			case Ping ping -> "ping";
			case Invalid invalid -> "invalid";
		};
	}

	/** Replay everything after {@code since}, then go live. */
	record Resume(long since) implements ClientFrame {
	}

	/** Every seq up to {@code upTo} reached this device. */
	record Ack(long upTo) implements ClientFrame {
	}

	/** The user read everything up to {@code upTo}. */
	record Read(long upTo) implements ClientFrame {
	}

	/** Keep-alive. */
	record Ping() implements ClientFrame {
	}

	/** A frame the gateway does not understand, and why. */
	record Invalid(String message) implements ClientFrame {
	}

}
