package io.herald.delivery.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderGroup;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.delivery.retry.DeliveryDecisions;
import io.herald.events.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configured provider, per channel in the order they are tried, each behind its own
 * circuit breaker and rate limit.
 *
 * <p>
 * A send goes to the first provider that takes it ({@link Provider#accepts}) and is in
 * service. A rejection is final; a failure, an open circuit or a rate limit moves on to
 * the next provider. Only when none is left is the send a failure for the dispatcher to
 * retry ({@link DeliveryDecisions#afterEveryProvider}).
 */
@Component
class ProviderChains {

	private final Map<Channel, List<GuardedProvider>> chains = new EnumMap<>(Channel.class);

	private final Duration openFor;

	ProviderChains(List<ProviderGroup> groups, DispatchProperties properties, DispatchMetrics metrics,
			MeterRegistry meters) {
		DispatchProperties.CircuitBreaker settings = properties.circuitBreaker();
		this.openFor = settings.openFor();
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.failureRateThreshold(settings.failureRate())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(settings.window())
			.minimumNumberOfCalls(settings.minimumSends())
			.waitDurationInOpenState(settings.openFor())
			.permittedNumberOfCallsInHalfOpenState(settings.probes())
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build());
		RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
		Set<String> names = new HashSet<>();
		for (ProviderGroup group : groups) {
			for (Provider provider : group.providers()) {
				if (!names.add(provider.name())) {
					throw new IllegalStateException(
							"Two providers are named '" + provider.name() + "': give every provider a unique name");
				}
				CircuitBreaker breaker = breakers.circuitBreaker(provider.name());
				this.chains.computeIfAbsent(provider.channel(), (channel) -> new ArrayList<>())
					.add(new GuardedProvider(provider, breaker, limiter(limiters, provider), properties.sendTimeout(),
							metrics));
			}
		}
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
		TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(meters);
	}

	private static @Nullable RateLimiter limiter(RateLimiterRegistry limiters, Provider provider) {
		double rate = provider.limits().ratePerSecond();
		if (rate <= 0) {
			return null;
		}
		// Whole permits per refresh period: 0.5/s is one permit every 2 s, 250/s is 25
		// every 100 ms.
		long periodNanos = (rate >= 10) ? 100_000_000L : (long) (1_000_000_000L / Math.min(rate, 1.0));
		int permits = Math.max(1, (int) Math.round(rate * periodNanos / 1_000_000_000.0));
		return limiters.rateLimiter(provider.name(),
				RateLimiterConfig.custom()
					.limitForPeriod(permits)
					.limitRefreshPeriod(Duration.ofNanos(periodNanos))
					.timeoutDuration(Duration.ZERO)
					.build());
	}

	/** Whether any provider is configured for a channel. */
	boolean serves(Channel channel) {
		return this.chains.containsKey(channel);
	}

	/** Every guarded provider, for the operator view. */
	List<GuardedProvider> all() {
		return this.chains.values().stream().flatMap(List::stream).toList();
	}

	/**
	 * Sends through the channel's providers in order until one accepts or rejects it.
	 * @return the outcome and the provider that gave it; a {@code Failed} when every
	 * provider failed or was out of service
	 * ({@link DeliveryDecisions#afterEveryProvider}), waiting for the circuit breaker's
	 * open time if none could even be tried
	 */
	Attempt send(Send send) throws InterruptedException {
		List<GuardedProvider> chain = this.chains.getOrDefault(send.channel(), List.of());
		List<DeliveryOutcome.Failed> failures = new ArrayList<>(chain.size());
		List<String> failed = new ArrayList<>(chain.size());
		for (GuardedProvider provider : chain) {
			if (!provider.provider().accepts(send)) {
				continue;
			}
			switch (provider.send(send)) {
				case DeliveryOutcome.Failed failure -> {
					failures.add(failure);
					failed.add(provider.name());
				}
				case DeliveryOutcome.Sent sent -> {
					return new Attempt(sent, provider.name());
				}
				case DeliveryOutcome.Rejected rejected -> {
					return new Attempt(rejected, provider.name());
				}
			}
		}
		if (failures.isEmpty()) {
			String target = (send.device() != null) ? send.device().platform().wireName() + " devices"
					: send.channel().wireName();
			return new Attempt(
					new DeliveryOutcome.Rejected(RejectionCause.NO_PROVIDER, "no provider configured for " + target),
					"none");
		}
		return new Attempt(DeliveryDecisions.afterEveryProvider(failures, this.openFor),
				failed.get(DeliveryDecisions.countingFailure(failures)));
	}

	/**
	 * The outcome of a send through a channel's chain.
	 *
	 * @param outcome what the last provider tried said
	 * @param provider its name, {@code none} if no provider takes the send
	 */
	record Attempt(DeliveryOutcome outcome, String provider) {
	}

}
