package io.herald.infra;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JvmExitTests {

	@Test
	void aServersHookWaitsForTheApplicationContextsToClose() throws InterruptedException {
		CountDownLatch closing = new CountDownLatch(1);
		Thread springBoot = new Thread(() -> {
			closing.countDown();
			sleep(300);
		}, JvmExit.SPRING_BOOT_HOOK);
		springBoot.start();
		assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();
		JvmExit.awaitHook(JvmExit.SPRING_BOOT_HOOK, Duration.ofMillis(200), Duration.ofSeconds(10));
		assertThat(springBoot.isAlive()).isFalse();
	}

	@Test
	void aServersHookFindsAHookThatStartsJustAfterIt() throws InterruptedException {
		Thread springBoot = new Thread(() -> sleep(300), JvmExit.SPRING_BOOT_HOOK);
		Thread starter = new Thread(() -> {
			sleep(50);
			springBoot.start();
		});
		starter.start();
		JvmExit.awaitHook(JvmExit.SPRING_BOOT_HOOK, Duration.ofSeconds(2), Duration.ofSeconds(10));
		assertThat(springBoot.isAlive()).isFalse();
	}

	@Test
	void aServersHookWaitsNoLongerThanItsBound() {
		Thread stuck = new Thread(() -> sleep(5_000), "stuck-hook-" + System.nanoTime());
		stuck.setDaemon(true);
		stuck.start();
		long start = System.nanoTime();
		JvmExit.awaitHook(stuck.getName(), Duration.ofMillis(200), Duration.ofMillis(300));
		assertThat(stuck.isAlive()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void withoutSuchAHookNothingWaitsBeyondTheLook() {
		JvmExit.awaitHook("no-such-hook", Duration.ofMillis(50), Duration.ofSeconds(30));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
