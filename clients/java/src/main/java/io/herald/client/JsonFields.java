package io.herald.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Optional fields of Herald's answers, read leniently: a missing or differently typed
 * field is absent.
 */
final class JsonFields {

	private JsonFields() {
	}

	static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isString() ? value.stringValue() : null;
	}

	static String text(JsonNode node, String field, String otherwise) {
		String value = text(node, field);
		return (value != null) ? value : otherwise;
	}

	static @Nullable Instant instant(JsonNode node, String field) {
		String value = text(node, field);
		return (value != null) ? Instant.parse(value) : null;
	}

}
