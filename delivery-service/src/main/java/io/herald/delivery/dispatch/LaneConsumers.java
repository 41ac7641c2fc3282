package io.herald.delivery.dispatch;

import io.herald.delivery.retry.RetryProperties;
import io.herald.events.Channel;
import io.herald.events.Lane;
import io.herald.events.Topics;
import io.herald.support.kafka.ListenerContainers;
import io.herald.support.kafka.RetryTopicBatches;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The consumers of the delivery lanes: for every channel with a provider and every lane,
 * one container on the lane and one on its retry topics, each in a consumer group of its
 * own, so a flood or a rebalance in one never stalls another: critical has a lane of its
 * own and never waits behind high or bulk traffic (docs/adr/014).
 *
 * <p>
 * Offsets are committed by the listener itself, only after the batch's outputs are
 * durable, and never by the container, not even after its error handler got a failed
 * batch through. A retry topic's record that is not due yet stops its partition there:
 * the consumer seeks back to it and the partition is paused until it is due; other
 * partitions go on.
 */
@Component
public class LaneConsumers implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LaneConsumers.class);

	/**
	 * The consumer group of a lane's container:
	 * {@code herald-delivery-<channel>-<lane>[-retry]}.
	 */
	public static String groupId(Channel channel, Lane lane, boolean retry) {
		return "herald-delivery-" + channel.wireName() + "-" + lane.topicSuffix() + (retry ? "-retry" : "");
	}

	private final Map<String, ConcurrentMessageListenerContainer<String, byte[]>> containers = new LinkedHashMap<>();

	private final Dispatcher dispatcher;

	private final OutputWriter writer;

	private final RetryTopicBatches retries;

	private volatile boolean running;

	LaneConsumers(ConcurrentKafkaListenerContainerFactory<String, byte[]> factory, ProviderChains chains,
			Dispatcher dispatcher, OutputWriter writer, DispatchProperties properties, RetryProperties retry,
			Clock clock) {
		this.dispatcher = dispatcher;
		this.writer = writer;
		this.retries = new RetryTopicBatches(clock, "herald-retry-resumer");
		for (Channel channel : List.of(Channel.PUSH, Channel.EMAIL, Channel.SMS)) {
			if (!chains.serves(channel)) {
				logger.info("No {} provider is configured: the {} lanes are not consumed", channel.wireName(),
						channel.wireName());
				continue;
			}
			for (Lane lane : Lane.values()) {
				int consumers = switch (lane) {
					case CRITICAL -> properties.criticalConsumers();
					case PRIORITY -> properties.priorityConsumers();
					case BULK -> properties.bulkConsumers();
				};
				String main = Topics.deliver(channel, lane).name();
				add(factory, channel, lane, false, consumers, List.of(main));
				List<String> levels = new ArrayList<>();
				for (int level = 1; level <= retry.levels(); level++) {
					levels.add(Topics.retry(Topics.deliver(channel, lane), level));
				}
				add(factory, channel, lane, true, properties.retryConsumers(), levels);
			}
		}
	}

	private void add(ConcurrentKafkaListenerContainerFactory<String, byte[]> factory, Channel channel, Lane lane,
			boolean retry, int concurrency, List<String> topics) {
		ConcurrentMessageListenerContainer<String, byte[]> container = factory
			.createContainer(topics.toArray(String[]::new));
		String group = groupId(channel, lane, retry);
		ContainerProperties settings = container.getContainerProperties();
		settings.setGroupId(group);
		settings.setClientId(group);
		settings.setAckMode(ContainerProperties.AckMode.MANUAL);
		container.setConcurrency(concurrency);
		container.setBeanName(group);
		container.setupMessageListener((BatchConsumerAwareMessageListener<String, byte[]>) (records,
				consumer) -> onBatch(container, channel, lane, retry, records, consumer));
		this.containers.put(group, container);
	}

	private void onBatch(ConcurrentMessageListenerContainer<String, byte[]> container, Channel channel, Lane lane,
			boolean retry, List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
		List<ConsumerRecord<String, byte[]>> due = retry ? this.retries.due(records, consumer, container) : records;
		if (due.isEmpty()) {
			return;
		}
		this.writer.write(this.dispatcher.dispatch(channel, lane, due));
		RetryTopicBatches.commit(due, consumer);
	}

	/** The consumer groups, each with whether it is paused by an operator. */
	public Map<String, Boolean> lanes() {
		Map<String, Boolean> lanes = new LinkedHashMap<>();
		this.containers.forEach((group, container) -> lanes.put(group, container.isPauseRequested()));
		return lanes;
	}

	/**
	 * Stops (or resumes) taking records from a lane's consumer group; records wait in
	 * Kafka.
	 * @return whether the group exists
	 */
	public boolean pause(String group, boolean pause) {
		ConcurrentMessageListenerContainer<String, byte[]> container = this.containers.get(group);
		if (container == null) {
			return false;
		}
		if (pause) {
			container.pause();
		}
		else {
			container.resume();
		}
		logger.info("Lane {} {} by an operator", group, pause ? "paused" : "resumed");
		return true;
	}

	@Override
	public void start() {
		this.containers.values().forEach(ConcurrentMessageListenerContainer::start);
		this.running = true;
	}

	/**
	 * Stops every lane's container at once ({@link ListenerContainers#stopAll}); once the
	 * last consumer ended, the resumer of held retry partitions stops, then
	 * {@code callback} runs.
	 */
	@Override
	public void stop(Runnable callback) {
		this.running = false;
		ListenerContainers.stopAll(this.containers.values(), () -> {
			this.retries.close();
			callback.run();
		});
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
