package io.herald.routing.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when an exception escapes a stream thread: anything the dead-letter
 * handlers do not take, such as a broker that stayed away past the producer's timeouts, a
 * fatal producer error or a failing state store. Kafka Streams' default shuts the whole
 * client down for good, which leaves the service running but routing nothing. Here the
 * thread is replaced instead: its tasks close dirty and a new thread takes them over from
 * the last commit: what the dead thread routed since then is routed again, which the
 * router recognises as a replay (docs/adr/013), so nothing is lost and nothing is shown
 * or sent twice.
 *
 * <p>
 * A fault that is not transient would kill every new thread at once; after
 * {@code maxReplacements} within {@code window} the client shuts down instead, Kafka
 * Streams goes to {@code ERROR}, and {@link KafkaStreamsLivenessIndicator} reports the
 * service dead so that its supervisor restarts it. Every verdict is counted in
 * {@code herald.routing.stream.threads.failed{application, exception, action}}. Each
 * routing application (docs/adr/014) has a handler of its own, so one's deaths never
 * count against the other.
 */
class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(StreamThreadRecovery.class);

	private final MeterRegistry registry;

	private final String application;

	private final int maxReplacements;

	private final Duration window;

	private final Clock clock;

	private final Deque<Instant> replacements = new ArrayDeque<>();

	StreamThreadRecovery(MeterRegistry registry, String application, int maxReplacements, Duration window,
			Clock clock) {
		this.registry = registry;
		this.application = application;
		this.maxReplacements = maxReplacements;
		this.window = window;
		this.clock = clock;
	}

	@Override
	public StreamThreadExceptionResponse handle(Throwable exception) {
		StreamThreadExceptionResponse response = decide();
		Throwable cause = rootCause(exception);
		Counter.builder("herald.routing.stream.threads.failed")
			.description("Stream threads that died of an exception, by what was done about it")
			.tag("application", this.application)
			.tag("exception", cause.getClass().getSimpleName())
			.tag("action", (response == StreamThreadExceptionResponse.REPLACE_THREAD) ? "replaced" : "shutdown")
			.register(this.registry)
			.increment();
		if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
			log.error("A stream thread of {} died; replacing it, its tasks resume from their last commit",
					this.application, exception);
		}
		else {
			log.error(
					"A stream thread of {} died for the {}th time within {}; shutting Kafka Streams down so that "
							+ "the service is restarted",
					this.application, this.maxReplacements + 1, this.window, exception);
		}
		return response;
	}

	private synchronized StreamThreadExceptionResponse decide() {
		Instant now = this.clock.instant();
		while (!this.replacements.isEmpty() && this.replacements.peekFirst().isBefore(now.minus(this.window))) {
			this.replacements.removeFirst();
		}
		if (this.replacements.size() >= this.maxReplacements) {
			return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
		}
		this.replacements.addLast(now);
		return StreamThreadExceptionResponse.REPLACE_THREAD;
	}

	private static Throwable rootCause(Throwable exception) {
		Throwable cause = exception;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
