package io.herald.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in the order they were submitted, on a shared executor, and
 * holds no thread while it has nothing to do. Everything a session does runs on its own
 * serial executor, so its state needs no locks and its frames leave in order.
 */
final class SerialExecutor implements Executor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final Executor delegate;

	SerialExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.pending.getAndIncrement() == 0) {
			this.delegate.execute(this::drain);
		}
	}

	private void drain() {
		do {
			Runnable task = this.tasks.poll();
			try {
				task.run();
			}
			catch (Throwable ex) {
				// Whatever a task throws, the executor must go on: a session that stops
				// draining would never answer, heartbeat or close again.
				logger.error("A session task failed", ex);
			}
		}
		while (this.pending.decrementAndGet() > 0);
	}

}
