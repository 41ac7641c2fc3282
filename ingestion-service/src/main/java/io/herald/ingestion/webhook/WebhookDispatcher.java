package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.RecordDecodingException;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.support.kafka.DurableWrites;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns delivery state changes ({@code herald.status}, consumer group
 * {@code herald-webhook-dispatch}) into calls of the endpoints that subscribed to them,
 * on {@code herald.webhooks}. A tenant's endpoints come from {@link WebhookStore#recent},
 * read from the store at most a second ago: an endpoint created or deleted through
 * another instance is called, or no longer called, within a second. A batch writes its
 * calls and waits until the broker has every one before its offsets may be committed: a
 * state change read is never lost, and one read again after a crash makes the same calls
 * with the same ids. Records that cannot be decoded are skipped here: the status view
 * dead-letters them.
 */
@Component
class WebhookDispatcher {

	private final WebhookStore store;

	private final KafkaTemplate<String, byte[]> kafka;

	private final WebhookProperties properties;

	private final WebhookMetrics metrics;

	private final Clock clock;

	WebhookDispatcher(WebhookStore store, KafkaTemplate<String, byte[]> kafka, WebhookProperties properties,
			WebhookMetrics metrics, Clock clock) {
		this.store = store;
		this.kafka = kafka;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	@KafkaListener(id = "herald-webhook-dispatch", topics = Topics.Names.STATUS, batch = "true",
			concurrency = "${herald.ingestion.webhooks.dispatchers:1}")
	void onRecords(List<ConsumerRecord<String, byte[]>> records) {
		List<ProducerRecord<String, byte[]>> calls = new ArrayList<>();
		Instant now = this.clock.instant();
		for (ConsumerRecord<String, byte[]> record : records) {
			// Every producer keys a status by its tenant (tenant|eventId or
			// tenant|userId): a tenant without endpoints costs a key read, not a decode.
			String keyTenant = tenant(record.key());
			if (keyTenant != null && this.store.recent(keyTenant).isEmpty()) {
				continue;
			}
			StatusReported status;
			try {
				status = Topics.STATUS.codec().decode(record.value());
			}
			catch (RecordDecodingException ex) {
				this.metrics.undecodable();
				continue;
			}
			if (status == null) {
				continue;
			}
			List<WebhookEndpoint> subscribers = this.store.recent(status.tenant());
			if (subscribers.isEmpty()) {
				continue;
			}
			for (StatusReported one : status.perUser()) {
				for (WebhookEndpoint endpoint : subscribers) {
					if (endpoint.subscribes(one.state())) {
						calls.add(record(WebhookPayload.call(endpoint.id(), one, now), record));
					}
				}
			}
		}
		DurableWrites.write(this.kafka, calls, this.properties.writeTimeout());
		this.metrics.dispatched(calls.size());
	}

	private static @Nullable String tenant(@Nullable String key) {
		int separator = (key != null) ? key.indexOf(PartitionKeys.SEPARATOR) : -1;
		return (separator > 0) ? key.substring(0, separator) : null;
	}

	/**
	 * The call's record, carrying the trace context of the state change that caused it.
	 */
	private static ProducerRecord<String, byte[]> record(CallWebhook call, ConsumerRecord<String, byte[]> cause) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.WEBHOOKS.name(), call.key(),
				Topics.WEBHOOKS.codec().encode(call));
		Header traceparent = cause.headers().lastHeader(HeaderNames.TRACEPARENT);
		if (traceparent != null) {
			record.headers().add(traceparent);
		}
		return record;
	}

}
