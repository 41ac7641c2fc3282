package io.herald.support.kafka;

import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ListenerContainers} with containers of real consumers on a real broker. */
class ListenerContainersIntegrationTests {

	@Test
	void stopsEveryContainerAndThenRunsWhatFollowsOnce() {
		List<ConcurrentMessageListenerContainer<String, String>> containers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ContainerProperties settings = new ContainerProperties("stop-all-" + UUID.randomUUID());
			settings.setGroupId("stop-all-" + i + "-" + UUID.randomUUID());
			settings.setMessageListener((MessageListener<String, String>) (record) -> {
			});
			ConcurrentMessageListenerContainer<String, String> container = new ConcurrentMessageListenerContainer<>(
					new DefaultKafkaConsumerFactory<>(
							Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()),
							new StringDeserializer(), new StringDeserializer()),
					settings);
			container.setConcurrency(2);
			container.start();
			containers.add(container);
		}
		AtomicInteger ran = new AtomicInteger();
		AtomicInteger runningWhenItRan = new AtomicInteger(-1);

		ListenerContainers.stopAll(containers, () -> {
			runningWhenItRan
				.set((int) containers.stream().filter(ConcurrentMessageListenerContainer::isRunning).count());
			ran.incrementAndGet();
		});

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ran).hasValue(1));
		assertThat(runningWhenItRan).hasValue(0);
		assertThat(containers).noneMatch(ConcurrentMessageListenerContainer::isRunning);
	}

	@Test
	void withNoContainerWhatFollowsRunsAtOnce() {
		AtomicInteger ran = new AtomicInteger();
		ListenerContainers.stopAll(List.of(), ran::incrementAndGet);
		assertThat(ran).hasValue(1);
	}

}
