package io.herald.routing.template.store;

import io.herald.events.JsonCodec;
import io.herald.events.TemplateTexts;
import io.herald.events.Versioned;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One kept version of a tenant's template, in the template history store.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param templateId the template
 * @param version its number
 * @param createdAt when it was written
 * @param texts its texts by normalized locale
 */
public record StoredVersion(int schemaVersion, String tenant, String templateId, long version, Instant createdAt,
		Map<String, TemplateTexts> texts) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The codec of the store and of the answers between instances. */
	public static final JsonCodec<StoredVersion> CODEC = new JsonCodec<>(StoredVersion.class, SCHEMA_VERSION);

	public StoredVersion {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(templateId, "templateId");
		Objects.requireNonNull(createdAt, "createdAt");
		texts = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(texts, "texts")));
	}

}
