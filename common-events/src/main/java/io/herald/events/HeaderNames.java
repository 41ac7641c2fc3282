package io.herald.events;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Kafka header names. Records carry the CloudEvents attributes in the binary content mode
 * of the CloudEvents Kafka binding ({@code ce_*} headers) and the W3C trace context
 * ({@code traceparent}).
 */
public final class HeaderNames {

	/** CloudEvents {@code id}: the event id. */
	public static final String CE_ID = "ce_id";

	/**
	 * CloudEvents {@code type}: the kind of record, for example
	 * {@code io.herald.event.accepted.v1}.
	 */
	public static final String CE_TYPE = "ce_type";

	/**
	 * CloudEvents {@code source}: the producing service, for example
	 * {@code /herald/ingestion}.
	 */
	public static final String CE_SOURCE = "ce_source";

	/** CloudEvents {@code time}: when the record was written, RFC 3339. */
	public static final String CE_TIME = "ce_time";

	/** CloudEvents {@code specversion}: always {@link #CE_SPEC_VERSION}. */
	public static final String CE_SPECVERSION = "ce_specversion";

	/**
	 * CloudEvents {@code subject}: the event's own type, for example
	 * {@code order.shipped}.
	 */
	public static final String CE_SUBJECT = "ce_subject";

	/** The content type of the value. */
	public static final String CONTENT_TYPE = "content-type";

	/** W3C trace context. */
	public static final String TRACEPARENT = "traceparent";

	/**
	 * Why a record was dead-lettered: a {@link RecordDecodingException.Reason} in lower
	 * case, or a stage's own reason.
	 */
	public static final String DLT_REASON = "herald_dlt_reason";

	/**
	 * Which try of a delivery request a record on a retry topic is: 2 for the first
	 * retry.
	 */
	public static final String ATTEMPT = "herald_attempt";

	/** When a record on a retry topic is due, in milliseconds since the epoch. */
	public static final String NOT_BEFORE = "herald_not_before";

	/** The delivery lane a retried or dead-lettered delivery request belongs to. */
	public static final String ORIGINAL_TOPIC = "herald_original_topic";

	/**
	 * When the API accepted the event a notification comes from, in milliseconds since
	 * the epoch: the origin of the end-to-end latencies.
	 */
	public static final String ACCEPTED_AT = "herald_accepted_at";

	/**
	 * Where routing first read an event: {@code <partition>:<offset>} of its record on
	 * {@code herald.events}, carried to every per-user copy so that a copy read again
	 * after a crash (a replay) is told apart from the event written twice (a duplicate).
	 */
	public static final String ORIGIN = "herald_origin";

	/** The CloudEvents specification version Herald writes. */
	public static final String CE_SPEC_VERSION = "1.0";

	/** The content type of every value Herald writes. */
	public static final String JSON = "application/json";

	private HeaderNames() {
	}

	/**
	 * Adds the CloudEvents headers of one record.
	 * @param headers the record's headers
	 * @param id the record's id
	 * @param type the record's kind
	 * @param source the producing service
	 * @param time when the record was written
	 * @param subject the subject, or {@code null}
	 */
	public static void addCloudEvent(Headers headers, String id, String type, String source, Instant time,
			@Nullable String subject) {
		add(headers, CE_SPECVERSION, CE_SPEC_VERSION);
		add(headers, CE_ID, id);
		add(headers, CE_TYPE, type);
		add(headers, CE_SOURCE, source);
		add(headers, CE_TIME, time.toString());
		if (subject != null) {
			add(headers, CE_SUBJECT, subject);
		}
		add(headers, CONTENT_TYPE, JSON);
	}

	/** The last value of a header as a string, or {@code null}. */
	public static @Nullable String lastValue(Headers headers, String name) {
		var header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * Whether the record's last {@link #CE_TYPE} header is {@code type}, in UTF-8.
	 * Compares the header's bytes with the name, without building a string: readers that
	 * tell the kinds of records on a topic apart call it for every record.
	 */
	public static boolean hasType(Headers headers, String type) {
		Header header = headers.lastHeader(CE_TYPE);
		return header != null && header.value() != null && isUtf8Of(header.value(), type);
	}

	/**
	 * Whether {@code bytes} are {@code text} in UTF-8; allocates only for a text that is
	 * not ASCII.
	 */
	static boolean isUtf8Of(byte[] bytes, String text) {
		int length = text.length();
		if (bytes.length != length) {
			// Only a text beyond ASCII has more bytes than chars in UTF-8.
			return bytes.length > length && !isAscii(text)
					&& Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
		}
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			// As many bytes as chars: a char beyond ASCII would need more.
			if (c >= 0x80 || bytes[i] != (byte) c) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	private static void add(Headers headers, String name, String value) {
		headers.remove(name);
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
