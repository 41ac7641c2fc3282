package io.herald.delivery.provider;

import java.util.List;

/**
 * The configured providers of one technology (every APNs account, every SMTP relay, ...),
 * in the order they are tried: a channel fails over from the first to the next.
 *
 * @param providers the providers, first preferred
 */
public record ProviderGroup(List<Provider> providers) implements AutoCloseable {

	public ProviderGroup {
		providers = List.copyOf(providers);
	}

	/** The group of these providers. */
	public static ProviderGroup of(List<? extends Provider> providers) {
		return new ProviderGroup(List.copyOf(providers));
	}

	@Override
	public void close() {
		this.providers.forEach(Provider::close);
	}

}
