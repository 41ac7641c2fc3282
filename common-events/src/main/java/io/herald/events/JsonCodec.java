package io.herald.events;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * JSON encoding of one record type, with Kafka serializers and a Kafka Streams serde.
 *
 * <p>
 * Encoding is plain JSON with RFC 3339 times and no {@code null} fields. Decoding ignores
 * unknown fields (newer writers may add optional ones), keeps decimal numbers exact, and
 * fails with a {@link RecordDecodingException} for anything else: bytes that are not a
 * JSON object, a schema version newer than {@code maxSchemaVersion}, or a record that
 * breaks its own invariants. A {@code null} payload (a tombstone) decodes to
 * {@code null}.
 *
 * @param <T> the record type
 */
public final class JsonCodec<T extends Versioned> {

	/** The mapper shared by every codec: immutable and thread-safe. */
	public static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.changeDefaultPropertyInclusion((include) -> include.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final Class<T> type;

	private final int maxSchemaVersion;

	public JsonCodec(Class<T> type, int maxSchemaVersion) {
		this.type = type;
		this.maxSchemaVersion = maxSchemaVersion;
	}

	/** The JSON bytes of a record. */
	public byte[] encode(T value) {
		return MAPPER.writeValueAsBytes(value);
	}

	/**
	 * Decodes a record.
	 * @throws RecordDecodingException when the bytes do not make a record this code
	 * understands
	 */
	public @Nullable T decode(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		// Fast path: one pass straight into the record. Anything unusual is diagnosed
		// below.
		try {
			T value = MAPPER.readValue(bytes, this.type);
			if (value != null && value.schemaVersion() >= 1 && value.schemaVersion() <= this.maxSchemaVersion) {
				return value;
			}
		}
		catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
			// fall through to the diagnosis
		}
		return diagnose(bytes);
	}

	/** Decodes the slow way, to say precisely why a record is not acceptable. */
	private T diagnose(byte[] bytes) {
		JsonNode tree;
		try {
			tree = MAPPER.readTree(bytes);
		}
		catch (StreamReadException ex) {
			throw new RecordDecodingException(RecordDecodingException.Reason.MALFORMED_JSON,
					"not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (tree == null || !tree.isObject()) {
			throw new RecordDecodingException(RecordDecodingException.Reason.MALFORMED_JSON,
					"not a JSON object: " + this.type.getSimpleName() + " expected");
		}
		JsonNode version = tree.get("schemaVersion");
		if (version == null || !version.isInt() || version.intValue() < 1
				|| version.intValue() > this.maxSchemaVersion) {
			throw new RecordDecodingException(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION,
					this.type.getSimpleName() + " schemaVersion " + version + " is not supported (1.."
							+ this.maxSchemaVersion + ")");
		}
		try {
			return MAPPER.treeToValue(tree, this.type);
		}
		catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
			throw new RecordDecodingException(RecordDecodingException.Reason.INVALID_RECORD,
					"invalid " + this.type.getSimpleName() + ": " + rootMessage(ex), ex);
		}
	}

	/** A Kafka serializer writing this codec's JSON. */
	public Serializer<T> serializer() {
		return (topic, value) -> (value != null) ? encode(value) : null;
	}

	/**
	 * A Kafka deserializer reading this codec's JSON; failures are
	 * {@link RecordDecodingException}s.
	 */
	public Deserializer<T> deserializer() {
		return (topic, bytes) -> decode(bytes);
	}

	/** A serde for Kafka Streams. */
	public Serde<T> serde() {
		return Serdes.serdeFrom(serializer(), deserializer());
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root instanceof JacksonException jackson) ? jackson.getOriginalMessage() : root.getMessage();
		return (message != null) ? message : root.getClass().getSimpleName();
	}

	/**
	 * Whether a string is well-formed UTF-16, so that it has a UTF-8 encoding: a JSON
	 * escape can put an unpaired surrogate (U+D800 to U+DFFF) into a parsed string, which
	 * an encoder would later replace or refuse, long after the request that carried it
	 * was accepted.
	 */
	public static boolean isWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

}
