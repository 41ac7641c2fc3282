package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import io.herald.events.HeaderNames;
import io.herald.events.Topics;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The records the sender writes: a call again, on a retry topic and due at its time, and
 * a call or record given up, unchanged on {@code herald.webhooks.dlt} with why
 * ({@link HeaderNames#DLT_REASON}) and where it was read, whichever webhook topic that
 * was. Each carries the trace context of the try, or else that of the record it comes
 * from.
 */
final class CallRecords {

	private static final String DEAD_LETTERS = Topics.deadLetter(Topics.WEBHOOKS.name());

	private static final Logger logger = LoggerFactory.getLogger(WebhookSender.class);

	private final RecordTracing tracing;

	private final WebhookMetrics metrics;

	CallRecords(RecordTracing tracing, WebhookMetrics metrics) {
		this.tracing = tracing;
		this.metrics = metrics;
	}

	/** The call on the retry topic of its level, due at the decision's time. */
	ProducerRecord<String, byte[]> retry(ConsumerRecord<String, byte[]> source, CallWebhook call,
			RetrySchedule.Decision.Retry retry, @Nullable Span span) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(
				Topics.retry(Topics.WEBHOOKS.name(), retry.level()), call.key(), Topics.WEBHOOKS.codec().encode(call));
		record.headers().add(HeaderNames.NOT_BEFORE, bytes(Long.toString(retry.notBefore().toEpochMilli())));
		trace(record, source, span);
		return record;
	}

	/** A call given up at a limit: {@code gave_up_<limit>: <last failure>}. */
	ProducerRecord<String, byte[]> givenUp(ConsumerRecord<String, byte[]> source, CallWebhook call,
			RetrySchedule.Decision.GiveUp giveUp, String lastFailure, @Nullable Span span) {
		String kind = "gave_up_" + giveUp.limit().wireName();
		return deadLetter(source, call, kind, kind + ": " + lastFailure, span);
	}

	/**
	 * A call that is not to be made again, such as {@code status_404} or
	 * {@code endpoint_gone}.
	 */
	ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> source, CallWebhook call, String reason,
			@Nullable Span span) {
		return deadLetter(source, call, reason, reason, span);
	}

	/** A record that is no call: not JSON, of an unknown schema, or an invalid call. */
	ProducerRecord<String, byte[]> unreadable(ConsumerRecord<String, byte[]> source, String reason,
			@Nullable String detail) {
		logger.warn("Dead-lettering {}-{}@{}: {}: {}", source.topic(), source.partition(), source.offset(), reason,
				detail);
		this.metrics.deadLettered(reason);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(DEAD_LETTERS, source.key(), source.value());
		origin(record.headers(), source, reason);
		trace(record, source, null);
		return record;
	}

	private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> source, CallWebhook call,
			String kind, String reason, @Nullable Span span) {
		this.metrics.deadLettered(kind);
		logger.info("Webhook call {} to {} of {} dead-lettered: {}", call.webhookId(), call.endpointId(), call.tenant(),
				reason);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(DEAD_LETTERS, call.key(), source.value());
		origin(record.headers(), source, reason);
		trace(record, source, span);
		return record;
	}

	/** Why a record is a dead letter, and where it was read. */
	private static void origin(Headers headers, ConsumerRecord<String, byte[]> source, String reason) {
		headers.add(HeaderNames.DLT_REASON, bytes(reason));
		headers.add(HeaderNames.ORIGINAL_TOPIC, bytes(source.topic()));
		headers.add("kafka_dlt-original-topic", bytes(source.topic()));
		headers.add("kafka_dlt-original-partition", bytes(Integer.toString(source.partition())));
		headers.add("kafka_dlt-original-offset", bytes(Long.toString(source.offset())));
	}

	private void trace(ProducerRecord<String, byte[]> record, ConsumerRecord<String, byte[]> source,
			@Nullable Span span) {
		if (span != null) {
			this.tracing.inject(span, record.headers());
		}
		else {
			var traceparent = source.headers().lastHeader(HeaderNames.TRACEPARENT);
			if (traceparent != null) {
				record.headers().add(traceparent);
			}
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
