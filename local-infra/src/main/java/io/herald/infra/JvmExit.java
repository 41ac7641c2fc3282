package io.herald.infra;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Registers and removes shutdown hooks, tolerating a JVM that is already shutting down.
 *
 * <p>
 * The JVM runs its shutdown hooks at the same time. In a test JVM, Spring Boot's hook
 * closes the application contexts the tests cached while a server's hook would close the
 * broker or Redis they use: a listener container that commits its offsets as it stops
 * then waits for a broker that is gone until its shutdown phase times out (30 s), and
 * Surefire kills the fork. So a server's hook first lets Spring Boot's hook finish, for
 * at most {@link #CONTEXTS_CLOSE_WITHIN}.
 */
final class JvmExit {

	/** The name of the thread in which Spring Boot closes its contexts at exit. */
	static final String SPRING_BOOT_HOOK = "SpringApplicationShutdownHook";

	/**
	 * How long a server's hook waits for the contexts to close: well within the 30 s
	 * Surefire grants a fork's exit.
	 */
	static final Duration CONTEXTS_CLOSE_WITHIN = Duration.ofSeconds(20);

	/**
	 * How long a hook looks for Spring Boot's hook, which the JVM may start just after
	 * it.
	 */
	private static final Duration LOOK_FOR_SPRING_BOOT = Duration.ofMillis(200);

	private JvmExit() {
	}

	/**
	 * Runs the action when the JVM exits, after Spring Boot's shutdown hook, if the JVM
	 * runs one, has closed the application contexts.
	 * @param name names the hook thread
	 * @param action what to run
	 * @return the hook, to pass to {@link #unregister(Thread)} once the action is no
	 * longer needed
	 */
	static Thread register(String name, Runnable action) {
		Thread hook = new Thread(() -> {
			if (springBootPresent()) {
				awaitHook(SPRING_BOOT_HOOK, LOOK_FOR_SPRING_BOOT, CONTEXTS_CLOSE_WITHIN);
			}
			action.run();
		}, name + "-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		return hook;
	}

	/**
	 * Waits for the thread of that name to end, at most {@code within}, if it runs or
	 * starts within {@code lookFor}.
	 */
	static void awaitHook(String name, Duration lookFor, Duration within) {
		long lookUntil = System.nanoTime() + lookFor.toNanos();
		try {
			do {
				Thread other = running(name);
				if (other != null) {
					other.join(within);
					return;
				}
				Thread.sleep(10);
			}
			while (System.nanoTime() < lookUntil);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static @Nullable Thread running(String name) {
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (name.equals(thread.getName()) && thread != Thread.currentThread()) {
				return thread;
			}
		}
		return null;
	}

	private static boolean springBootPresent() {
		try {
			Class.forName("org.springframework.boot.SpringApplication", false, JvmExit.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Removes a hook registered by {@link #register}; does nothing for {@code null}, for
	 * the calling hook itself and while the JVM is shutting down.
	 * @param hook the hook, or {@code null}
	 */
	static void unregister(@Nullable Thread hook) {
		if (hook == null || hook == Thread.currentThread()) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook runs anyway and finds nothing left to
			// do.
		}
	}

}
