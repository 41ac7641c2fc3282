package io.herald.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports the lag of this service's consumer groups as the broker sees it:
 * {@code herald.kafka.consumer.lag{group, topic, partition}}, the records between a
 * group's committed offset and the partition's end. Read from the broker rather than from
 * the consumers, the lag stays visible when every consumer of a group is dead, which is
 * when it matters. Every instance of a service reports the same numbers: dashboards take
 * the {@code max} per partition. Nothing is read while
 * {@code herald.metrics.consumer-lag.groups} is empty.
 */
class ConsumerLag implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerLag.class);

	private static final long READ_TIMEOUT_SECONDS = 5;

	private final ConsumerLagProperties properties;

	private final KafkaAdmin kafkaAdmin;

	private final MultiGauge lag;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable Admin admin;

	ConsumerLag(ConsumerLagProperties properties, KafkaAdmin kafkaAdmin, MeterRegistry registry) {
		this.properties = properties;
		this.kafkaAdmin = kafkaAdmin;
		this.lag = MultiGauge.builder("herald.kafka.consumer.lag")
			.description("Records between a consumer group's committed offset and the end of the partition")
			.baseUnit("records")
			.register(registry);
	}

	@Override
	public void start() {
		if (this.properties.groups().isEmpty()) {
			return;
		}
		this.admin = Admin.create(this.kafkaAdmin.getConfigurationProperties());
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("herald-consumer-lag").factory());
		long interval = this.properties.interval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
			this.admin = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/** Reads every matching group's committed offsets and the partitions' ends once. */
	void refresh() {
		Admin admin = this.admin;
		if (admin == null) {
			return;
		}
		try {
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (Map.Entry<String, Map<TopicPartition, Long>> group : read(admin).entrySet()) {
				group.getValue()
					.forEach((partition, records) -> rows
						.add(MultiGauge.Row.of(Tags.of("group", group.getKey(), "topic", partition.topic(), "partition",
								Integer.toString(partition.partition())), records)));
			}
			this.lag.register(rows, true);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			// The broker is away: keep the last numbers rather than pretend the lag is
			// gone.
			logger.debug("Could not read consumer lag: {}", ex.toString());
		}
	}

	private Map<String, Map<TopicPartition, Long>> read(Admin admin) throws Exception {
		Set<String> groups = new HashSet<>();
		for (ConsumerGroupListing listing : admin.listConsumerGroups()
			.all()
			.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			if (matches(listing.groupId())) {
				groups.add(listing.groupId());
			}
		}
		if (groups.isEmpty()) {
			return Map.of();
		}
		Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
		groups.forEach((group) -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
		var offsets = admin.listConsumerGroupOffsets(specs);
		Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
		Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
		for (String group : groups) {
			Map<TopicPartition, OffsetAndMetadata> groupOffsets = offsets.partitionsToOffsetAndMetadata(group)
				.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			committed.put(group, groupOffsets);
			groupOffsets.keySet().forEach((partition) -> ends.put(partition, OffsetSpec.latest()));
		}
		var endOffsets = admin.listOffsets(ends).all().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Map<String, Map<TopicPartition, Long>> lag = new HashMap<>();
		committed.forEach((group, groupOffsets) -> {
			Map<TopicPartition, Long> groupLag = new HashMap<>();
			groupOffsets.forEach((partition, offset) -> {
				var end = endOffsets.get(partition);
				if (offset != null && end != null) {
					groupLag.put(partition, Math.max(0, end.offset() - offset.offset()));
				}
			});
			lag.put(group, groupLag);
		});
		return lag;
	}

	private boolean matches(String groupId) {
		return this.properties.groups().stream().anyMatch(groupId::startsWith);
	}

}
