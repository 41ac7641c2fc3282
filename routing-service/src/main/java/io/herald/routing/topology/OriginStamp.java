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
 * Stamps every event read from {@code herald.events} with its origin
 * ({@link HeaderNames#ORIGIN}: its partition and offset there), which travels with every
 * per-user copy through the repartition topics, so that the router tells an event read
 * again after a crash from one written twice ({@link EventDeduplicator}). A header of
 * that name that came with the record is replaced. It also tells whether the event can be
 * routed by the task that read it ({@link LoggedEvent}).
 */
final class OriginStamp implements FixedKeyProcessor<String, EventAccepted, LoggedEvent> {

	private final int partitions;

	private final RoutingMetrics metrics;

	private @Nullable FixedKeyProcessorContext<String, LoggedEvent> context;

	/**
	 * @param partitions the partitions of the topology's user state
	 * @param metrics where events read are counted by path
	 */
	OriginStamp(int partitions, RoutingMetrics metrics) {
		this.partitions = partitions;
		this.metrics = metrics;
	}

	@Override
	public void init(FixedKeyProcessorContext<String, LoggedEvent> context) {
		this.context = context;
	}

	@Override
	public void process(FixedKeyRecord<String, EventAccepted> record) {
		FixedKeyProcessorContext<String, LoggedEvent> context = this.context;
		if (context == null) {
			throw new IllegalStateException("not initialized");
		}
		record.headers().remove(HeaderNames.ORIGIN);
		RecordMetadata metadata = context.recordMetadata().orElse(null);
		boolean local = false;
		if (metadata != null) {
			record.headers()
				.add(HeaderNames.ORIGIN, EventDeduplicator.originHeader(metadata.partition(), metadata.offset())
					.getBytes(StandardCharsets.UTF_8));
			local = record.key() != null
					&& LoggedEvent.isLocal(record.key(), record.value(), metadata.partition(), this.partitions);
		}
		this.metrics.read(local);
		context.forward(record.withValue(new LoggedEvent(record.value(), local)));
	}

}
