package io.herald.infra;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JvmExitTests {

	@Test
	void aServersHookWaitsForTheApplicationContextsToClose() {
		CountDownLatch closed = new CountDownLatch(1);
		Thread springBoot = hook(JvmExit.SPRING_BOOT_HOOK, closed);
		springBoot.start();
		CompletableFuture<Void> waiting = CompletableFuture.runAsync(
				() -> JvmExit.awaitHook(JvmExit.SPRING_BOOT_HOOK, Duration.ofMillis(200), Duration.ofSeconds(30)));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
		closed.countDown();
		await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
		assertThat(springBoot.isAlive()).isFalse();
	}

	@Test
	void aServersHookFindsAHookThatStartsJustAfterIt() {
		CountDownLatch closed = new CountDownLatch(1);
		Thread springBoot = hook(JvmExit.SPRING_BOOT_HOOK, closed);
		CompletableFuture<Void> waiting = CompletableFuture
			.runAsync(() -> JvmExit.awaitHook(JvmExit.SPRING_BOOT_HOOK, Duration.ofSeconds(5), Duration.ofSeconds(30)));
		springBoot.start();
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
		closed.countDown();
		await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
		assertThat(springBoot.isAlive()).isFalse();
	}

	@Test
	void aServersHookWaitsNoLongerThanItsBound() {
		CountDownLatch never = new CountDownLatch(1);
		Thread stuck = hook("stuck-hook-" + System.nanoTime(), never);
		stuck.start();
		try {
			CompletableFuture<Void> waiting = CompletableFuture
				.runAsync(() -> JvmExit.awaitHook(stuck.getName(), Duration.ofMillis(200), Duration.ofMillis(300)));
			await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
			assertThat(stuck.isAlive()).isTrue();
		}
		finally {
			never.countDown();
		}
	}

	@Test
	void withoutSuchAHookNothingWaitsBeyondTheLook() {
		CompletableFuture<Void> waiting = CompletableFuture
			.runAsync(() -> JvmExit.awaitHook("no-such-hook", Duration.ofMillis(50), Duration.ofSeconds(30)));
		await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
	}

	/** A thread of that name that ends once {@code end} is counted down. */
	private static Thread hook(String name, CountDownLatch end) {
		Thread thread = new Thread(() -> {
			try {
				end.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, name);
		thread.setDaemon(true);
		return thread;
	}

}
