package io.herald.delivery.dispatch;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the delivery lanes are consumed and the providers guarded.
 *
 * @param criticalConsumers consumer threads per channel on the critical lane: a container
 * of its own, so neither high nor bulk traffic ever delays critical traffic
 * (docs/adr/014)
 * @param priorityConsumers consumer threads per channel on the priority lane
 * ({@code high}): a container of its own, so bulk traffic never delays it
 * @param bulkConsumers consumer threads per channel on the bulk lane
 * @param retryConsumers consumer threads per channel and lane on the retry topics
 * @param outputTimeout how long a batch waits for the broker to acknowledge its status
 * records, retries and dead letters before it fails (and is processed again)
 * @param sendTimeout how long a send may take in all, whatever the provider's own timeout
 * @param circuitBreaker when a provider is taken out of service
 */
@Validated
@ConfigurationProperties("herald.delivery.dispatch")
public record DispatchProperties(@DefaultValue("1") @Min(1) int criticalConsumers,
		@DefaultValue("2") @Min(1) int priorityConsumers, @DefaultValue("2") @Min(1) int bulkConsumers,
		@DefaultValue("1") @Min(1) int retryConsumers, @DefaultValue("10s") @NotNull Duration outputTimeout,
		@DefaultValue("30s") @NotNull Duration sendTimeout, @DefaultValue @NotNull CircuitBreaker circuitBreaker) {

	/**
	 * A circuit breaker per provider: when the share of failed sends among the last
	 * {@code window} reaches {@code failureRate}, the provider gets no sends for
	 * {@code openFor}; then {@code probes} sends test it again.
	 *
	 * @param failureRate the share of failures that opens the circuit, in percent
	 * @param window how many recent sends count
	 * @param minimumSends how many sends must have been made before the rate counts
	 * @param openFor how long an open circuit stays open
	 * @param probes sends let through while half open
	 */
	public record CircuitBreaker(@DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRate,
			@DefaultValue("20") @Min(1) int window, @DefaultValue("10") @Min(1) int minimumSends,
			@DefaultValue("30s") @NotNull Duration openFor, @DefaultValue("3") @Min(1) int probes) {
	}

}
