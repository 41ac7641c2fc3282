package io.herald.routing.template.store;

import io.herald.routing.query.StoreReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.time.Duration;

/**
 * Reads the template stores ({@link TemplateStores}) of the main routing application,
 * wherever the tenant's partition lives ({@link StoreReads}): here, or from the owner's
 * {@code /actuator/templatestate/...} ({@link TemplateStateEndpoint}). One attempt each;
 * the caller retries what is unavailable.
 */
public final class TemplateStateQueries implements AutoCloseable {

	private final StoreReads reads;

	/**
	 * @param streams the main routing application's factory
	 * @param token the instances' shared token, or {@code null}
	 * @param forwardTimeout how long a read forwarded to the owner may take
	 * @param registry where reads are counted
	 * ({@code herald.routing.template.reads{owner}})
	 */
	public TemplateStateQueries(ObjectProvider<StreamsBuilderFactoryBean> streams, @Nullable String token,
			Duration forwardTimeout, MeterRegistry registry) {
		this.reads = new StoreReads(streams, token, forwardTimeout, reads(registry, "local"),
				reads(registry, "forwarded"));
	}

	/** The latest verdicts of a tenant's template commands. */
	public StoreReads.Read<TemplateVerdicts> verdicts(String tenant) {
		return this.reads.read(TemplateStores.VERDICTS, tenant, tenant, TemplateVerdicts.CODEC::decode,
				TemplateStateEndpoint.PATH + "/{tenant}", tenant);
	}

	/** What the store knows about a template. */
	public StoreReads.Read<TemplateHead> head(String tenant, String templateId) {
		return this.reads.read(TemplateStores.HEADS, tenant, TemplateStores.head(tenant, templateId),
				TemplateHead.CODEC::decode, TemplateStateEndpoint.PATH + "/{tenant}/{templateId}", tenant, templateId);
	}

	/** A kept version of a template. */
	public StoreReads.Read<StoredVersion> version(String tenant, String templateId, long version) {
		return this.reads.read(TemplateStores.VERSIONS, tenant, TemplateStores.version(tenant, templateId, version),
				StoredVersion.CODEC::decode, TemplateStateEndpoint.PATH + "/{tenant}/{templateId}/{version}", tenant,
				templateId, version);
	}

	/** A key of a template store, from this instance only. */
	<V> StoreReads.Read<V> readLocal(String store, String tenant, String key) {
		return this.reads.readLocal(store, tenant, key);
	}

	@Override
	public void close() {
		this.reads.close();
	}

	private static Counter reads(MeterRegistry registry, String owner) {
		return Counter.builder("herald.routing.template.reads")
			.description("Reads of the template stores, by where the tenant's templates live: this instance or another")
			.tag("owner", owner)
			.register(registry);
	}

}
