package io.herald.ingestion.template;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.util.Set;

/**
 * The templates events may name, per tenant. Thread-safe; a lookup never blocks.
 */
@FunctionalInterface
public interface TemplateCatalog {

	/**
	 * Brings the catalog up to date with every template change the brokers acknowledged
	 * before this call, waiting at most a bounded time (then what was read stays in
	 * force). A request that checks events naming templates calls it once, before its
	 * first lookup.
	 * @return the catalog's position afterwards, which an accepted templated event
	 * carries to routing ({@code EventAccepted.catalogOffset}), or {@code null} when it
	 * has none
	 */
	default @Nullable Long sync() {
		return null;
	}

	/**
	 * What the catalog knows about a template of a tenant: a template of the tenant's
	 * own, else one every tenant shares.
	 * @param tenant the tenant of the event
	 * @param templateId the event's {@code template}
	 */
	Lookup lookup(String tenant, String templateId);

	/** The answer of {@link #lookup}. */
	sealed interface Lookup {

		/**
		 * The template exists.
		 *
		 * @param channels the channels it renders
		 */
		record Defined(Set<Channel> channels) implements Lookup {

			public Defined {
				channels = Set.copyOf(channels);
			}

		}

		/** No such template: an event naming it is refused. */
		record Undefined() implements Lookup {
		}

		/**
		 * The catalog has not been read to its end since the service started: whether the
		 * template exists is not known yet, and the caller should ask again shortly.
		 */
		record NotLoaded() implements Lookup {
		}

	}

}
