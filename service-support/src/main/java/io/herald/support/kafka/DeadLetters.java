package io.herald.support.kafka;

import io.herald.events.HeaderNames;
import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parks records that cannot be processed in their topic's dead-letter topic
 * ({@code <topic>.dlt}), unchanged, with spring-kafka's {@code kafka_dlt-*} headers
 * (original topic, partition, offset, exception) and Herald's
 * {@link HeaderNames#DLT_REASON}. Sending waits for the broker, so a record is committed
 * only once its dead letter is durable. Created by {@link KafkaSupportAutoConfiguration}.
 */
public class DeadLetters {

	private final DeadLetterPublishingRecoverer recoverer;

	/**
	 * @param kafka sends the dead letters
	 */
	public DeadLetters(KafkaTemplate<String, byte[]> kafka) {
		this.recoverer = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
		this.recoverer.setFailIfSendResultIsError(true);
		this.recoverer.setHeadersFunction((record, ex) -> {
			RecordHeaders headers = new RecordHeaders();
			headers.add(HeaderNames.DLT_REASON, reason(ex).getBytes(StandardCharsets.UTF_8));
			return headers;
		});
	}

	/** Sends a record to its dead-letter topic and waits until it is durable. */
	public void send(ConsumerRecord<?, ?> record, Exception reason) {
		this.recoverer.accept(record, reason);
	}

	private static String reason(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordDecodingException decoding) {
				return decoding.reason().name().toLowerCase(Locale.ROOT);
			}
		}
		return "processing_failed";
	}

}
