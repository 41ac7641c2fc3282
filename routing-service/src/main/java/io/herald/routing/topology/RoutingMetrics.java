package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.processor.TaskId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing topology's meters:
 * <ul>
 * <li>{@code herald.routing.deliveries}: decisions per user and channel, by {@code channel},
 * {@code lane}, {@code outcome} ({@code queued}, {@code deferred}, {@code suppressed},
 * {@code expired}) and {@code reason} ({@code none} for queued).</li>
 * <li>{@code herald.routing.duplicates}: events that reached a user again within the dedup
 * window and were dropped.</li>
 * <li>{@code herald.routing.held}: deliveries held for quiet hours or {@code sendAt}, summed
 * over this instance's tasks; RocksDB's estimate, refreshed at every release interval.</li>
 * </ul>
 * Kafka Streams' own metrics are bound by Spring Boot ({@code KafkaStreamsMicrometerListener}).
 */
public class RoutingMetrics {

	private final MeterRegistry registry;

	private final Counter duplicates;

	private final Map<TaskId, Long> heldPerTask = new ConcurrentHashMap<>();

	public RoutingMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.duplicates = Counter.builder("herald.routing.duplicates")
			.description("Events dropped because they reached the user before, within the dedup window")
			.register(registry);
		Gauge.builder("herald.routing.held", this.heldPerTask,
				(held) -> held.values().stream().mapToLong(Long::longValue).sum())
			.description("Deliveries held for quiet hours or sendAt (estimate)")
			.register(registry);
	}

	void decided(Channel channel, Lane lane, String outcome, String reason) {
		Counter.builder("herald.routing.deliveries")
			.description("Routing decisions per user and channel")
			.tag("channel", channel.wireName())
			.tag("lane", lane.topicSuffix())
			.tag("outcome", outcome)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	void duplicate() {
		this.duplicates.increment();
	}

	void held(TaskId task, long count) {
		this.heldPerTask.put(task, count);
	}

	void closed(TaskId task) {
		this.heldPerTask.remove(task);
	}

}
