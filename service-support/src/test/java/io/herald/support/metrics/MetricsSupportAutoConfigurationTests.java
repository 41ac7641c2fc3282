package io.herald.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsSupportAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, MetricsSupportAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void countsTheFunnelAndReportsConsumerLag() {
		this.contexts.withPropertyValues("herald.metrics.consumer-lag.groups=herald-test").run((context) -> {
			assertThat(context).hasSingleBean(Funnel.class).hasSingleBean(ConsumerLag.class);
			assertThat(context.getBean(ConsumerLagProperties.class).groups()).containsExactly("herald-test");
			assertThat(context.getBean(MeterRegistry.class).find("herald.kafka.consumer.lag").meters()).isEmpty();
		});
	}

	@Test
	void aFunnelOfTheServiceWins() {
		Funnel own = new Funnel(new SimpleMeterRegistry());
		this.contexts.withBean(Funnel.class, () -> own)
			.run((context) -> assertThat(context).getBean(Funnel.class).isSameAs(own));
	}

	@Test
	void withoutKafkaNoConsumerLag() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsSupportAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(Funnel.class).doesNotHaveBean(ConsumerLag.class));
	}

	@Test
	void withoutAMeterRegistryNothing() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(KafkaAutoConfiguration.class, MetricsSupportAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Funnel.class).doesNotHaveBean(ConsumerLag.class));
	}

}
