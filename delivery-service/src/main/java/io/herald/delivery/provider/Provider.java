package io.herald.delivery.provider;

import io.herald.events.Channel;

import java.util.concurrent.CompletableFuture;

/**
 * One configured account at one provider (an APNs team, an FCM project, a Twilio account, an
 * SMTP relay), wrapping the provider's own SDK.
 *
 * <p>Contract: {@link #send(Send)} never throws for anything the provider or the network does;
 * every such answer is a {@link DeliveryOutcome} in the returned future, classified as the
 * provider documents it (permanent {@link DeliveryOutcome.Rejected} or temporary
 * {@link DeliveryOutcome.Failed}). A send that takes longer than the provider's own timeout
 * completes as {@code Failed("timeout")}. Implementations are thread-safe; the dispatcher bounds
 * how many sends are in flight and guards each provider with a circuit breaker and a rate limit.
 * Blocking SDKs run their calls on virtual threads; asynchronous ones are used asynchronously.
 */
public interface Provider extends AutoCloseable {

	/** The configured name, unique across the service, for example {@code smtp-primary}. */
	String name();

	/** The channel this provider delivers. */
	Channel channel();

	/** How hard the dispatcher may drive this provider. */
	ProviderLimits limits();

	/** Whether this provider can take the send at all (for push: the device's platform). */
	boolean accepts(Send send);

	/** Hands one message to the provider. */
	CompletableFuture<DeliveryOutcome> send(Send send);

	/** Releases connections and threads. */
	@Override
	void close();

}
