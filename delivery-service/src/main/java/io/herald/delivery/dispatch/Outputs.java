package io.herald.delivery.dispatch;

import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a batch writes: status records, retries, dead letters and commands to routing.
 * Each record carries the {@code traceparent} of the request it comes from, so a trace runs on
 * from routing through delivery.
 */
final class Outputs {

	private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();

	List<ProducerRecord<String, byte[]>> records() {
		return this.records;
	}

	void status(StatusReported status, ConsumerRecord<String, byte[]> cause) {
		add(Topics.STATUS.name(), PartitionKeys.event(status.tenant(), status.eventId()),
				Topics.STATUS.codec().encode(status), cause, new RecordHeaders());
	}

	void command(UserCommand command, ConsumerRecord<String, byte[]> cause) {
		add(Topics.USER_COMMANDS.name(), command.key(), Topics.USER_COMMANDS.codec().encode(command), cause,
				new RecordHeaders());
	}

	/** The request again, unchanged, on a retry topic, due at {@code notBefore}. */
	void retry(String topic, String lane, int attempt, Instant notBefore, String reason,
			ConsumerRecord<String, byte[]> cause) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.ATTEMPT, bytes(Integer.toString(attempt)));
		headers.add(HeaderNames.NOT_BEFORE, bytes(Long.toString(notBefore.toEpochMilli())));
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(lane));
		headers.add(HeaderNames.DLT_REASON, bytes(reason));
		add(topic, cause.key(), cause.value(), cause, headers);
	}

	/** The request, unchanged, on its lane's dead-letter topic, with why and how often it was tried. */
	void deadLetter(String lane, byte @Nullable [] value, String reason, int attempts,
			ConsumerRecord<String, byte[]> cause) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(lane));
		headers.add(HeaderNames.DLT_REASON, bytes(reason));
		headers.add(HeaderNames.ATTEMPT, bytes(Integer.toString(attempts)));
		headers.add("kafka_dlt-original-topic", bytes(cause.topic()));
		headers.add("kafka_dlt-original-partition", bytes(Integer.toString(cause.partition())));
		headers.add("kafka_dlt-original-offset", bytes(Long.toString(cause.offset())));
		add(Topics.deadLetter(lane), cause.key(), value, cause, headers);
	}

	private void add(String topic, @Nullable String key, byte @Nullable [] value, ConsumerRecord<String, byte[]> cause,
			RecordHeaders headers) {
		Header traceparent = cause.headers().lastHeader(HeaderNames.TRACEPARENT);
		if (traceparent != null) {
			headers.add(traceparent);
		}
		this.records.add(new ProducerRecord<>(topic, null, key, value, headers));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
