package io.herald.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServerLifetimeTests {

	@Test
	void closingStopsTheServerOnceAndDeletesItsTemporaryDirectory() throws Exception {
		Path temporary = TemporaryDirectories.create("herald-lifetime-test-");
		Files.writeString(temporary.resolve("data"), "x");
		ServerLifetime lifetime = new ServerLifetime("test-server on port 1", temporary, null);
		AtomicInteger stops = new AtomicInteger();

		lifetime.close(stops::incrementAndGet);
		lifetime.close(stops::incrementAndGet);

		assertThat(stops).hasValue(1);
		assertThat(temporary).doesNotExist();
	}

	@Test
	void aClosedServerCannotStartAgain() {
		ServerLifetime lifetime = new ServerLifetime("test-server on port 1", null, null);
		lifetime.checkNotClosed();
		lifetime.close(() -> {
		});
		assertThatIllegalStateException().isThrownBy(lifetime::checkNotClosed)
			.withMessage("test-server on port 1 is closed and cannot be started again");
	}

	@Test
	void closingRemovesTheExitHook() {
		AtomicInteger closedAtExit = new AtomicInteger();
		Thread hook = JvmExit.register("test-server", closedAtExit::incrementAndGet);
		new ServerLifetime("test-server on port 1", null, hook).close(() -> {
		});
		assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("still registered").isFalse();
	}

	@Test
	void aServerThatStopsWithAnErrorIsNotClosed() {
		ServerLifetime lifetime = new ServerLifetime("test-server on port 1", null, null);
		AtomicInteger stops = new AtomicInteger();
		assertThatIllegalStateException().isThrownBy(() -> lifetime.close(() -> {
			stops.incrementAndGet();
			throw new IllegalStateException("interrupted while stopping");
		}));
		lifetime.checkNotClosed();

		lifetime.close(stops::incrementAndGet);
		assertThat(stops).as("the next close stops it again").hasValue(2);
	}

}
