package io.herald.routing.topology;

import io.herald.events.HeaderNames;
import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Builds the dead letters of the routing topology: the record as it was read (raw key,
 * value and headers), to {@code <source topic>.dlt}, with {@link HeaderNames#DLT_REASON}
 * and the same {@code kafka_dlt-*} headers as spring-kafka's
 * {@code DeadLetterPublishingRecoverer} writes for the other services, so every Herald
 * dead-letter topic reads alike.
 *
 * <p>
 * Records read from {@code herald.events.critical} are dead-lettered to
 * {@code herald.events.critical.dlt}, commands to {@code herald.user-commands.dlt} and
 * {@code herald.template-commands.dlt}; records read from the topology's internal topics
 * (repartition and scatter, of either routing application) carry events, so they are
 * dead-lettered to {@code herald.events.dlt}, with the topic they were read from in
 * {@value #ORIGINAL_TOPIC}.
 *
 * <p>
 * Reasons: a {@link RecordDecodingException.Reason} in lower case
 * ({@code malformed_json}, {@code unsupported_schema_version}, {@code invalid_record}) or
 * {@link #PROCESSING_FAILED}.
 */
final class DeadLetterRecords {

	/** The reason of a record that was decoded but could not be processed. */
	static final String PROCESSING_FAILED = "processing_failed";

	static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";

	static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";

	static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";

	static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";

	static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

	private DeadLetterRecords() {
	}

	static ProducerRecord<byte[], byte[]> of(ErrorHandlerContext context, byte @Nullable [] key,
			byte @Nullable [] value, @Nullable Headers original, Exception exception) {
		Headers headers = new RecordHeaders();
		if (original != null) {
			for (Header header : original) {
				headers.add(header);
			}
		}
		headers.remove(HeaderNames.DLT_REASON);
		headers.add(HeaderNames.DLT_REASON, utf8(reason(exception)));
		headers.add(ORIGINAL_TOPIC, utf8(String.valueOf(context.topic())));
		headers.add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(context.partition()).array());
		headers.add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(context.offset()).array());
		headers.add(EXCEPTION_FQCN, utf8(exception.getClass().getName()));
		headers.add(EXCEPTION_MESSAGE, utf8(String.valueOf(exception.getMessage())));
		return new ProducerRecord<>(topicFor(context.topic()), null, key, value, headers);
	}

	/** The dead-letter topic for records read from a topic. */
	static String topicFor(@Nullable String sourceTopic) {
		if (Topics.USER_COMMANDS.name().equals(sourceTopic) || Topics.CRITICAL_EVENTS.name().equals(sourceTopic)
				|| Topics.TEMPLATE_COMMANDS.name().equals(sourceTopic)) {
			return Topics.deadLetter(sourceTopic);
		}
		return Topics.deadLetter(Topics.EVENTS.name());
	}

	static String reason(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordDecodingException decoding) {
				return decoding.reason().name().toLowerCase(Locale.ROOT);
			}
		}
		return PROCESSING_FAILED;
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
