package io.herald.ingestion.ingest;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the bodies of the event endpoints with limits that make a hostile document fail
 * fast, as a {@code 400 malformed_json} that names the limit and where it was broken,
 * before any deep recursion or large allocation. Duplicate keys are refused: which of two
 * values counts must not depend on the parser.
 */
public final class RequestJson {

	/**
	 * Deepest nesting of a request document. A batch puts an event's {@code data} at
	 * depth 4 ({@code {"events": [{"data": {...}}]}}), so
	 * {@link EventValidator#MAX_DATA_DEPTH} levels of {@code data} fit with room to
	 * spare, and anything deeper is refused while parsing rather than built into a tree.
	 */
	static final int MAX_DOCUMENT_DEPTH = 32;

	/**
	 * Longest string value: no string of a valid event is longer than an event body (64
	 * KiB).
	 */
	static final int MAX_STRING_LENGTH = 64 * 1024;

	/**
	 * Longest number, in characters: more digits than any 64-bit or decimal value a
	 * client means.
	 */
	static final int MAX_NUMBER_LENGTH = 100;

	/**
	 * Longest object key, in characters: far above any field name or {@code data} key a
	 * client means.
	 */
	static final int MAX_NAME_LENGTH = 1_000;

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_DOCUMENT_DEPTH)
				.maxStringLength(MAX_STRING_LENGTH)
				.maxNumberLength(MAX_NUMBER_LENGTH)
				.maxNameLength(MAX_NAME_LENGTH)
				.build())
			.build())
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/** Reads one entry of a batch: the rest of the body follows it. */
	private static final ObjectReader ENTRY = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	private RequestJson() {
	}

	/**
	 * The body of {@code POST /v1/events}.
	 * @throws ApiProblemException ({@code malformed_json}) when it is not JSON or breaks
	 * a limit
	 */
	static JsonNode event(byte[] body) {
		return document(body, "one event");
	}

	/**
	 * A request body that is one JSON document, read with the same limits as events.
	 * @param what what the body should hold, for the problem detail of an empty body
	 * ({@code "one webhook endpoint"})
	 * @throws ApiProblemException ({@code malformed_json}) when it is not JSON or breaks
	 * a limit
	 */
	public static JsonNode document(byte[] body, String what) {
		try {
			JsonNode tree = MAPPER.readTree(body);
			if (tree == null || tree.isMissingNode()) {
				throw malformed("The body is empty; send " + what + " as a JSON object.", List.of());
			}
			return tree;
		}
		catch (JacksonException ex) {
			throw malformed(ex);
		}
	}

	/** One entry of a batch, with its size as sent. */
	record Entry(JsonNode event, long bytes) {
	}

	/**
	 * The entries of {@code POST /v1/events:batch}, each with its size in bytes as sent.
	 * @param maxEvents the most entries a batch may have
	 * @throws ApiProblemException ({@code malformed_json}) when the body is not JSON or
	 * breaks a limit, ({@code invalid_batch}) when it is not {@code {"events": [...]}}
	 * with 1 to {@code maxEvents} entries
	 */
	static List<Entry> batch(byte[] body, int maxEvents) {
		List<Entry> entries = new ArrayList<>();
		boolean sawEvents = false;
		try (JsonParser parser = MAPPER.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalidBatch(maxEvents);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (!"events".equals(name)) {
					parser.skipChildren();
					continue;
				}
				if (value != JsonToken.START_ARRAY) {
					throw invalidBatch(maxEvents);
				}
				sawEvents = true;
				while (parser.nextToken() != JsonToken.END_ARRAY) {
					if (entries.size() == maxEvents) {
						throw invalidBatch(maxEvents);
					}
					long start = parser.currentTokenLocation().getByteOffset();
					JsonNode event = ENTRY.readTree(parser);
					entries.add(new Entry(event, parser.currentLocation().getByteOffset() - start));
				}
			}
			if (parser.nextToken() != null) {
				throw malformed("The body has content after its JSON object.", List.of());
			}
		}
		catch (JacksonException ex) {
			throw malformed(ex);
		}
		if (!sawEvents || entries.isEmpty()) {
			throw invalidBatch(maxEvents);
		}
		return entries;
	}

	private static ApiProblemException invalidBatch(int maxEvents) {
		return new ApiProblemException(ErrorCode.INVALID_BATCH,
				"The body must be {\"events\": [...]} with 1 to " + maxEvents + " events.");
	}

	private static ApiProblemException malformed(JacksonException ex) {
		String field = (ex.processor() instanceof JsonParser parser) ? field(parser.streamReadContext()) : "";
		String message = ex.getOriginalMessage();
		String detail = (ex instanceof StreamConstraintsException)
				? "The body breaks a limit of the JSON parser: " + message : "The body is not valid JSON: " + message;
		return malformed(detail, field.isEmpty() ? List.of() : List.of(new FieldProblem(field, message)));
	}

	private static ApiProblemException malformed(String detail, List<FieldProblem> problems) {
		return new ApiProblemException(ErrorCode.MALFORMED_JSON, detail, problems, HttpHeaders.EMPTY);
	}

	/** Where the parser was, as the validator names fields: {@code events[3].data.x}. */
	private static String field(TokenStreamContext context) {
		StringBuilder field = new StringBuilder();
		for (JsonPointer pointer = context.pathAsPointer(); !pointer.matches(); pointer = pointer.tail()) {
			if (pointer.mayMatchElement()) {
				field.append('[').append(pointer.getMatchingIndex()).append(']');
			}
			else {
				field.append(field.isEmpty() ? "" : ".").append(pointer.getMatchingProperty());
			}
		}
		return field.toString();
	}

}
