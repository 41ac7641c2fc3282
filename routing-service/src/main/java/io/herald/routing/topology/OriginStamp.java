package io.herald.routing.topology;

import io.herald.events.EventAccepted;
import io.herald.events.HeaderNames;
import io.herald.routing.dedup.EventDeduplicator;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * Stamps every event read from {@code herald.events} with its origin ({@link HeaderNames#ORIGIN}:
 * its partition and offset there), which travels with every per-user copy through the
 * repartition topics, so that the router tells an event read again after a crash from one written
 * twice ({@link EventDeduplicator}). A header of that name that came with the record is replaced.
 */
final class OriginStamp implements FixedKeyProcessor<String, EventAccepted, EventAccepted> {

	private @Nullable FixedKeyProcessorContext<String, EventAccepted> context;

	@Override
	public void init(FixedKeyProcessorContext<String, EventAccepted> context) {
		this.context = context;
	}

	@Override
	public void process(FixedKeyRecord<String, EventAccepted> record) {
		FixedKeyProcessorContext<String, EventAccepted> context = this.context;
		if (context == null) {
			throw new IllegalStateException("not initialized");
		}
		record.headers().remove(HeaderNames.ORIGIN);
		RecordMetadata metadata = context.recordMetadata().orElse(null);
		if (metadata != null) {
			record.headers().add(HeaderNames.ORIGIN, EventDeduplicator
				.originHeader(metadata.partition(), metadata.offset())
				.getBytes(StandardCharsets.UTF_8));
		}
		context.forward(record);
	}

}
