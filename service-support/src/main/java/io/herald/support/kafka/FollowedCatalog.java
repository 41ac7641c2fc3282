package io.herald.support.kafka;

import io.herald.events.PartitionKeys;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Map;

/**
 * A catalog held in memory and kept up to date from its compacted topic by a
 * {@link CatalogFollower}, which starts and stops with the application.
 */
public abstract class FollowedCatalog implements SmartLifecycle {

	private final CatalogFollower follower;

	/**
	 * @param topic the catalog topic
	 * @param consumerProperties the service's consumer settings (bootstrap servers,
	 * security)
	 * @param name a name for the follower's thread and logs
	 */
	protected FollowedCatalog(String topic, Map<String, Object> consumerProperties, String name) {
		// The follower calls apply only once started, after the subclass is constructed.
		this.follower = new CatalogFollower(topic, consumerProperties, name, this::apply);
	}

	/**
	 * Applies one record of the topic (a {@code null} value is a tombstone); called on
	 * the follower's thread only, in offset order.
	 */
	protected abstract void apply(ConsumerRecord<String, byte[]> record);

	/**
	 * The tenant and id of a record keyed {@code tenant|id}, as tenants' entries of a
	 * catalog are; {@code null} for a record with another key (a shared entry).
	 */
	protected static @Nullable TenantKey tenantKey(ConsumerRecord<String, byte[]> record) {
		String key = record.key();
		if (key == null || key.indexOf(PartitionKeys.SEPARATOR) < 0) {
			return null;
		}
		return new TenantKey(PartitionKeys.tenantOf(key), PartitionKeys.idOf(key));
	}

	/**
	 * The key of a tenant's entry of a catalog.
	 *
	 * @param tenant the tenant
	 * @param id the entry's id within the tenant
	 */
	protected record TenantKey(String tenant, String id) {
	}

	/** The follower, for syncs and positions. */
	protected final CatalogFollower follower() {
		return this.follower;
	}

	/** See {@link CatalogFollower#sync(Duration)}. */
	public boolean sync(Duration timeout) {
		return this.follower.sync(timeout);
	}

	/** Whether the topic was read to the end offsets it had when the follower started. */
	public boolean isLoaded() {
		return this.follower.isLoaded();
	}

	@Override
	public void start() {
		this.follower.start();
	}

	@Override
	public void stop() {
		this.follower.stop();
	}

	@Override
	public boolean isRunning() {
		return this.follower.isRunning();
	}

}
