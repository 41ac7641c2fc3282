package io.herald.delivery.provider;

import io.herald.events.Channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One configured account at one provider (an APNs team, an FCM project, a Twilio account,
 * an SMTP relay), wrapping the provider's own SDK.
 *
 * <p>
 * Contract: {@link #send(Send)} never throws for anything the provider or the network
 * does; every such answer is a {@link DeliveryOutcome} in the returned future, classified
 * as the provider documents it (permanent {@link DeliveryOutcome.Rejected} or temporary
 * {@link DeliveryOutcome.Failed}). A send that takes longer than the provider's own
 * timeout completes as {@code Failed("timeout")}. Implementations are thread-safe; the
 * dispatcher bounds how many sends are in flight and guards each provider with a circuit
 * breaker and a rate limit. Blocking SDKs run their calls on
 * {@linkplain #blockingCalls(String) platform threads of their own}; asynchronous ones
 * are used asynchronously.
 */
public interface Provider extends AutoCloseable {

	/**
	 * The configured name, unique across the service, for example {@code smtp-primary}.
	 */
	String name();

	/** The channel this provider delivers. */
	Channel channel();

	/** How hard the dispatcher may drive this provider. */
	ProviderLimits limits();

	/**
	 * Whether this provider can take the send at all (for push: the device's platform).
	 */
	boolean accepts(Send send);

	/** Hands one message to the provider. */
	CompletableFuture<DeliveryOutcome> send(Send send);

	/**
	 * Threads for a blocking SDK's calls: platform threads, made when every one is busy
	 * and kept a minute when idle; the dispatcher's in-flight bound caps how many call at
	 * once. Not virtual threads: SDKs block inside {@code synchronized} code, class
	 * loading and initializers, which hold a virtual thread's carrier, and a burst of
	 * such calls can hold every carrier of a small machine while the thread they wait for
	 * has none (docs/adr/009-delivery-threads.md).
	 * @param name names the threads, {@code herald-<name>-<n>}
	 */
	static ExecutorService blockingCalls(String name) {
		return Executors.newCachedThreadPool(Thread.ofPlatform().name("herald-" + name + "-", 0).daemon().factory());
	}

	/** Releases connections and threads. */
	@Override
	void close();

}
