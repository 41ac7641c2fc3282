package io.herald.routing.template.store;

import io.herald.events.PartitionKeys;

/**
 * The template stores of the main routing application, all partitioned like
 * {@code herald.template-commands}, by tenant: every template of one tenant lives on one
 * task. Persistent (RocksDB) and backed by changelog topics
 * ({@code <application.id>-<store>-changelog}).
 */
public final class TemplateStores {

	/**
	 * Every template a tenant ever had: {@code KeyValueStore<String, TemplateHead>} keyed
	 * {@code tenant|templateId}.
	 */
	public static final String HEADS = "templates";

	/**
	 * The kept versions: {@code KeyValueStore<String, StoredVersion>} keyed
	 * {@code tenant|templateId|<version, 19 digits>}, so a template's versions are in
	 * order.
	 */
	public static final String VERSIONS = "template-versions";

	/**
	 * The latest verdicts per tenant: {@code KeyValueStore<String, TemplateVerdicts>}
	 * keyed by the tenant.
	 */
	public static final String VERDICTS = "template-verdicts";

	private TemplateStores() {
	}

	/** The key of a template in {@link #HEADS}. */
	public static String head(String tenant, String templateId) {
		return PartitionKeys.template(tenant, templateId);
	}

	/** The key of a version in {@link #VERSIONS}. */
	public static String version(String tenant, String templateId, long version) {
		return head(tenant, templateId) + PartitionKeys.SEPARATOR + String.format("%019d", version);
	}

}
