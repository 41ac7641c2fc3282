package io.herald.delivery.dispatch;

import io.herald.events.DeliverNotification;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a batch writes: status records, retries, dead letters and commands to
 * routing. Each record carries the trace context of the span that caused it (a send's
 * span, or the span of the request's handling), so a trace runs on from routing through
 * every try of delivery.
 */
final class Outputs {

	private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();

	private final RecordTracing tracing;

	Outputs(RecordTracing tracing) {
		this.tracing = tracing;
	}

	List<ProducerRecord<String, byte[]>> records() {
		return this.records;
	}

	/**
	 * A status of the notification: for a digest, also the same status of each event it
	 * lists ({@link DeliverNotification#digestOf()}).
	 */
	void status(DeliverNotification notification, StatusReported status, Span cause) {
		for (StatusReported each : status.alsoFor(notification.digestOf())) {
			add(Topics.STATUS.name(), PartitionKeys.event(each.tenant(), each.eventId()),
					Topics.STATUS.codec().encode(each), cause, new RecordHeaders());
		}
	}

	void command(UserCommand command, Span cause) {
		add(Topics.USER_COMMANDS.name(), command.key(), Topics.USER_COMMANDS.codec().encode(command), cause,
				new RecordHeaders());
	}

	/** The request again, unchanged, on a retry topic, due at {@code notBefore}. */
	void retry(String topic, String lane, int attempt, Instant notBefore, String reason,
			ConsumerRecord<String, byte[]> request, Span cause) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.ATTEMPT, bytes(Integer.toString(attempt)));
		headers.add(HeaderNames.NOT_BEFORE, bytes(Long.toString(notBefore.toEpochMilli())));
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(lane));
		headers.add(HeaderNames.DLT_REASON, bytes(reason));
		copy(request, HeaderNames.ACCEPTED_AT, headers);
		add(topic, request.key(), request.value(), cause, headers);
	}

	/**
	 * The request, unchanged, on its lane's dead-letter topic, with why and how often it
	 * was tried.
	 */
	void deadLetter(String lane, byte @Nullable [] value, String reason, int attempts,
			ConsumerRecord<String, byte[]> request, Span cause) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(lane));
		headers.add(HeaderNames.DLT_REASON, bytes(reason));
		headers.add(HeaderNames.ATTEMPT, bytes(Integer.toString(attempts)));
		headers.add("kafka_dlt-original-topic", bytes(request.topic()));
		headers.add("kafka_dlt-original-partition", bytes(Integer.toString(request.partition())));
		headers.add("kafka_dlt-original-offset", bytes(Long.toString(request.offset())));
		copy(request, HeaderNames.ACCEPTED_AT, headers);
		add(Topics.deadLetter(lane), request.key(), value, cause, headers);
	}

	private static void copy(ConsumerRecord<String, byte[]> request, String name, RecordHeaders headers) {
		var header = request.headers().lastHeader(name);
		if (header != null) {
			headers.add(name, header.value());
		}
	}

	private void add(String topic, @Nullable String key, byte @Nullable [] value, Span cause, RecordHeaders headers) {
		this.tracing.inject(cause, headers);
		this.records.add(new ProducerRecord<>(topic, null, key, value, headers));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
