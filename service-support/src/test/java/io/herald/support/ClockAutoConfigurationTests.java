package io.herald.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ClockAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClockAutoConfiguration.class));

	@Test
	void contributesTheSystemClockInUtc() {
		this.contexts.run((context) -> assertThat(context).getBean(Clock.class)
			.isEqualTo(Clock.systemUTC())
			.extracting(Clock::getZone)
			.isEqualTo(ZoneOffset.UTC));
	}

	@Test
	void aClockOfTheServiceWins() {
		Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
		this.contexts.withBean(Clock.class, () -> fixed)
			.run((context) -> assertThat(context).hasSingleBean(Clock.class).getBean(Clock.class).isSameAs(fixed));
	}

}
