package io.herald.delivery.provider;

/**
 * How hard the dispatcher may drive one provider.
 *
 * @param maxInFlight the most sends waiting for this provider's answer at once; more wait
 * (backpressure up to the lane's consumer)
 * @param ratePerSecond the most sends per second, {@code 0} for no limit; a send over the
 * limit goes to the next provider of the channel, or waits for a retry
 */
public record ProviderLimits(int maxInFlight, double ratePerSecond) {

	/** A provider's default in-flight bound: enough to keep an HTTP/2 connection busy. */
	public static final int DEFAULT_MAX_IN_FLIGHT = 256;

	public ProviderLimits {
		if (maxInFlight < 1) {
			throw new IllegalArgumentException("maxInFlight must be at least 1, but was " + maxInFlight);
		}
		if (ratePerSecond < 0) {
			throw new IllegalArgumentException("ratePerSecond must not be negative, but was " + ratePerSecond);
		}
	}

}
