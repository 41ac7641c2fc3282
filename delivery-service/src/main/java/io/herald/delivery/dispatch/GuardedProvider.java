package io.herald.delivery.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.Send;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One provider behind its circuit breaker, its rate limit and its in-flight bound. Called
 * from the dispatcher's per-user threads: waiting for a free in-flight slot or for the
 * provider's answer blocks only the calling user's thread.
 */
final class GuardedProvider {

	private final Provider provider;

	private final CircuitBreaker breaker;

	private final @Nullable RateLimiter limiter;

	private final Semaphore inFlight;

	private final Duration sendTimeout;

	private final DispatchMetrics metrics;

	GuardedProvider(Provider provider, CircuitBreaker breaker, @Nullable RateLimiter limiter, Duration sendTimeout,
			DispatchMetrics metrics) {
		this.provider = provider;
		this.breaker = breaker;
		this.limiter = limiter;
		this.inFlight = new Semaphore(provider.limits().maxInFlight());
		this.sendTimeout = sendTimeout;
		this.metrics = metrics;
	}

	Provider provider() {
		return this.provider;
	}

	String name() {
		return this.provider.name();
	}

	CircuitBreaker breaker() {
		return this.breaker;
	}

	/**
	 * Sends through this provider, or says why it did not:
	 * {@link FailureCause#CIRCUIT_OPEN} or {@link FailureCause#HERALD_RATE_LIMITED} as a
	 * {@link DeliveryOutcome.Failed} without calling the provider.
	 */
	DeliveryOutcome send(Send send) throws InterruptedException {
		if (!this.breaker.tryAcquirePermission()) {
			return new DeliveryOutcome.Failed(FailureCause.CIRCUIT_OPEN, null,
					this.provider.name() + " circuit is open");
		}
		if (this.limiter != null && !this.limiter.acquirePermission()) {
			this.breaker.releasePermission();
			return new DeliveryOutcome.Failed(FailureCause.HERALD_RATE_LIMITED, null,
					this.provider.name() + " is over its rate limit");
		}
		this.inFlight.acquire();
		long start = System.nanoTime();
		DeliveryOutcome outcome;
		try {
			outcome = this.provider.send(send).get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			outcome = new DeliveryOutcome.Failed(FailureCause.TIMEOUT, null,
					this.provider.name() + " gave no answer within " + this.sendTimeout);
		}
		catch (ExecutionException ex) {
			// A provider must not fail its future, but a bug must not lose the send
			// either.
			outcome = new DeliveryOutcome.Failed(FailureCause.ERROR, null, String.valueOf(ex.getCause()));
		}
		finally {
			this.inFlight.release();
		}
		long elapsed = System.nanoTime() - start;
		switch (outcome) {
			case DeliveryOutcome.Failed failed ->
				this.breaker.onError(elapsed, TimeUnit.NANOSECONDS, new ProviderFailure(failed.reason()));
			case DeliveryOutcome.Sent sent -> this.breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
			case DeliveryOutcome.Rejected rejected -> this.breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
		}
		this.metrics.send(send.channel(), this.provider.name(), outcome, Duration.ofNanos(elapsed));
		return outcome;
	}

	/** A temporary failure, as the circuit breaker counts it. */
	static final class ProviderFailure extends RuntimeException {

		ProviderFailure(String reason) {
			super(reason, null, false, false);
		}

	}

}
