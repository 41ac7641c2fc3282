package io.herald.routing.topology;

/**
 * What a test throws to kill a stream thread where it likes: an {@link Error}, which no
 * dead-letter handler takes, so the thread dies as it would of a fault in the JVM,
 * without committing what it processed since its last commit.
 */
final class InjectedThreadDeath extends Error {

	InjectedThreadDeath() {
		super("injected: the stream thread dies here");
	}

}
