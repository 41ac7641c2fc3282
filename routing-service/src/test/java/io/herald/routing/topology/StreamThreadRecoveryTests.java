package io.herald.routing.topology;

import java.time.Duration;
import java.time.Instant;

import io.herald.infra.SteppedClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamThreadRecoveryTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final StreamThreadRecovery recovery = new StreamThreadRecovery(this.registry, "herald-routing", 3,
			Duration.ofMinutes(5), this.clock);

	@Test
	void replacesDeadThreadsUpToTheLimitWithinTheWindowThenShutsDown() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.recovery.handle(failure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
			this.clock.step(Duration.ofSeconds(10));
		}
		assertThat(this.recovery.handle(failure())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
		assertThat(count("replaced")).isEqualTo(3);
		assertThat(count("shutdown")).isEqualTo(1);
	}

	@Test
	void deathsOlderThanTheWindowNoLongerCount() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.recovery.handle(failure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
		}
		this.clock.step(Duration.ofMinutes(5).plusSeconds(1));
		assertThat(this.recovery.handle(failure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
	}

	@Test
	void countsByTheRootCause() {
		this.recovery.handle(failure());
		assertThat(this.registry.get("herald.routing.stream.threads.failed")
			.tags("application", "herald-routing", "exception", "TimeoutException", "action", "replaced")
			.counter()
			.count()).isEqualTo(1);
	}

	private static Throwable failure() {
		return new StreamsException("commit failed", new TimeoutException("the broker did not answer"));
	}

	private double count(String action) {
		return this.registry.get("herald.routing.stream.threads.failed").tag("action", action).counter().count();
	}

}
