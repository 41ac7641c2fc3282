package io.herald.gateway.inbox;

import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The limits a notification's JSON keeps in an inbox, one set for the writer and every
 * reader, so that what the writer stores its readers can always serve: the inbox page
 * wraps a notification three levels deeper (page, list, item) and must stay within
 * Jackson's nesting limit of 500, and one notification must not make a page or a replay
 * huge.
 *
 * <p>
 * The writer stores nothing that breaks them (it dead-letters such a record). Readers
 * check every entry they serve against them, as an entry written by an older version may
 * break them, and serve one that does with its {@code data} replaced by an empty object,
 * so that its seq is still delivered and no page, replay or stream fails because of it.
 */
final class StoredNotifications {

	/**
	 * The deepest nesting of a notification's JSON, the notification object being level 1
	 * and its {@code data} object level 2: far more than any payload needs, far below
	 * what the readers allow.
	 */
	static final int MAX_DEPTH = 128;

	/**
	 * The longest JSON of a notification, in characters: data (16 KiB by API.md) plus
	 * rendered text.
	 */
	static final int MAX_LENGTH = 256 * 1024;

	/**
	 * Reads what the limits refuse, keeping only the top-level fields, however deep the
	 * rest is.
	 */
	private static final JsonMapper UNLIMITED = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
			.build())
		.build();

	private StoredNotifications() {
	}

	/**
	 * Why a notification's JSON breaks the limits, or {@code null} when it keeps them. A
	 * single pass over the characters, without parsing.
	 */
	static @Nullable String violation(String json) {
		if (json.length() > MAX_LENGTH) {
			return "the notification's JSON is " + json.length() + " characters long, more than the inbox's limit of "
					+ MAX_LENGTH;
		}
		int depth = 0;
		boolean inString = false;
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				if (++depth > MAX_DEPTH) {
					return "the notification's JSON nests deeper than the inbox's limit of " + MAX_DEPTH
							+ " levels (its data at most " + (MAX_DEPTH - 1) + ")";
				}
			}
			else if (c == '}' || c == ']') {
				depth--;
			}
		}
		return null;
	}

	/**
	 * The notification of a stored entry's JSON: as stored when it keeps the limits, else
	 * with its {@code data} replaced by an empty object.
	 * @throws JacksonException when the entry is no notification at all
	 */
	static InboxNotification read(String json) {
		if (violation(json) == null) {
			try {
				return JsonCodec.MAPPER.readValue(json, InboxNotification.class);
			}
			catch (JacksonException ex) {
				// Maybe only its data is unreadable: salvaged below, or the salvage fails
				// too.
			}
		}
		return JsonCodec.MAPPER.treeToValue(withoutData(json), InboxNotification.class);
	}

	/**
	 * A stored entry's JSON fit to send: as stored when it keeps the limits and is
	 * well-formed, else the notification with its {@code data} replaced by an empty
	 * object.
	 * @throws JacksonException when the entry is no notification at all
	 */
	static String servable(String json) {
		return (violation(json) == null && isObject(json)) ? json
				: JsonCodec.MAPPER.writeValueAsString(withoutData(json));
	}

	/**
	 * Whether the JSON is one well-formed object: tokenized to its end, no tree built.
	 */
	private static boolean isObject(String json) {
		try (JsonParser parser = JsonCodec.MAPPER.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return false;
			}
			parser.skipChildren();
			return parser.nextToken() == null;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * The top-level scalar fields of a stored notification, and an empty {@code data}.
	 */
	private static ObjectNode withoutData(String json) {
		ObjectNode node = JsonCodec.MAPPER.createObjectNode();
		try (JsonParser parser = UNLIMITED.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("a stored notification is a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_STRING) {
					node.put(name, parser.getString());
				}
				else {
					// Skipped iteratively, however deep.
					parser.skipChildren();
				}
			}
		}
		node.putObject("data");
		return node;
	}

}
