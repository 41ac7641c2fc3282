package io.herald.infra;

import org.jspecify.annotations.Nullable;

/**
 * Registers and removes shutdown hooks, tolerating a JVM that is already shutting down.
 */
final class JvmExit {

	private JvmExit() {
	}

	/**
	 * Runs the action when the JVM exits.
	 * @param name names the hook thread
	 * @param action what to run
	 * @return the hook, to pass to {@link #unregister(Thread)} once the action is no
	 * longer needed
	 */
	static Thread register(String name, Runnable action) {
		Thread hook = new Thread(action, name + "-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		return hook;
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
