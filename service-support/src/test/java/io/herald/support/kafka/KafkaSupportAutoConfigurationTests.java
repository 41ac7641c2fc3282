package io.herald.support.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSupportAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaSupportAutoConfiguration.class));

	@Test
	void listenerContainersRetryAFailingBatchAndDeadLettersAreAtHand() {
		this.contexts.run((context) -> {
			assertThat(context).hasSingleBean(CommonErrorHandler.class).hasSingleBean(DeadLetters.class);
			CommonErrorHandler handler = context.getBean(CommonErrorHandler.class);
			assertThat(handler).isInstanceOf(DefaultErrorHandler.class);
			assertThat(handler.isAckAfterHandle()).isTrue();
			ConcurrentKafkaListenerContainerFactory<?, ?> factory = context
				.getBean(ConcurrentKafkaListenerContainerFactory.class);
			assertThat(factory.createContainer("herald.test").getCommonErrorHandler()).isSameAs(handler);
		});
	}

	@Test
	void bindsTheTopicSettings() {
		this.contexts.withPropertyValues("herald.kafka.replication-factor=3", "herald.kafka.min-insync-replicas=2")
			.run((context) -> assertThat(context.getBean(KafkaTopicsProperties.class))
				.isEqualTo(new KafkaTopicsProperties(12, (short) 3, 2)));
	}

	@Test
	void withAnInstanceIdListenerContainersJoinAsStaticMembers() {
		this.contexts.withPropertyValues("herald.kafka.instance-id=delivery-2").run((context) -> {
			ConcurrentKafkaListenerContainerFactory<?, ?> factory = context
				.getBean(ConcurrentKafkaListenerContainerFactory.class);
			assertThat(factory.createContainer("herald.test").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "delivery-2");
		});
	}

	@Test
	void withoutAnInstanceIdOrWithAnEmptyOneMembersAreDynamic() {
		for (String setting : List.of("herald.kafka.partitions=12", "herald.kafka.instance-id=")) {
			this.contexts.withPropertyValues(setting).run((context) -> {
				ConcurrentKafkaListenerContainerFactory<?, ?> factory = context
					.getBean(ConcurrentKafkaListenerContainerFactory.class);
				assertThat(factory.createContainer("herald.test").getContainerProperties().getKafkaConsumerProperties())
					.doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
			});
		}
	}

	@Test
	void anInstanceIdKafkaWouldRefuseStopsTheStart() {
		this.contexts.withPropertyValues("herald.kafka.instance-id=pod 2/3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("herald.kafka.instance-id")
				.hasMessageContaining("only letters, digits"));
	}

	@Test
	void anErrorHandlerOfTheServiceWins() {
		DefaultErrorHandler own = new DefaultErrorHandler(new FixedBackOff(0, 0));
		this.contexts.withBean("ownErrorHandler", CommonErrorHandler.class, () -> own)
			.run((context) -> assertThat(context).hasSingleBean(CommonErrorHandler.class)
				.getBean(CommonErrorHandler.class)
				.isSameAs(own));
	}

	@Test
	void withoutAKafkaTemplateNoDeadLetters() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaSupportAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DeadLetters.class)
				.hasSingleBean(CommonErrorHandler.class)
				.hasSingleBean(KafkaTopicsProperties.class));
	}

	@Test
	void withoutSpringKafkaNothing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KafkaSupportAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaTopicsProperties.class));
	}

	@Test
	void pausesGrowToFiveSecondsAndNeverStop() {
		BackOffExecution pauses = KafkaErrorHandlers.pausesWithoutEnd().start();
		List<Long> first = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			first.add(pauses.nextBackOff());
		}
		assertThat(first).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L);
		for (int i = 0; i < 10_000; i++) {
			assertThat(pauses.nextBackOff()).isEqualTo(5_000L);
		}
	}

}
