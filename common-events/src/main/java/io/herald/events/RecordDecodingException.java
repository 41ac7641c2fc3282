package io.herald.events;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be decoded. Consumers do not retry it (it would fail again): they
 * send it to a dead-letter topic with {@link #reason()} and move on.
 */
public class RecordDecodingException extends SerializationException {

	private final Reason reason;

	public RecordDecodingException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public RecordDecodingException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/** Why the record could not be decoded. */
	public Reason reason() {
		return this.reason;
	}

	/** Why a record could not be decoded. */
	public enum Reason {

		/** The bytes are not JSON, or not a JSON object. */
		MALFORMED_JSON,

		/** The record has no schema version, or one this code does not know. */
		UNSUPPORTED_SCHEMA_VERSION,

		/**
		 * The JSON is well-formed but does not make a valid record (a required field
		 * missing...).
		 */
		INVALID_RECORD

	}

}
