package io.herald.routing.template.store;

import io.herald.events.JsonCodec;
import io.herald.events.Versioned;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the template store knows about one template of a tenant: its latest version,
 * whether it was deleted (its id keeps its last version number, so a template created
 * again under the same id continues from there and no cache can take the new template for
 * the old one), and which versions are kept, oldest first.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param templateId the template
 * @param version the latest version, of the template or of what was deleted
 * @param deleted whether the template was deleted since
 * @param updatedAt when the latest version was written, or the template deleted
 * @param versions the versions kept, oldest first; empty once deleted
 */
public record TemplateHead(int schemaVersion, String tenant, String templateId, long version, boolean deleted,
		Instant updatedAt, List<Kept> versions) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The codec of the store and of the answers between instances. */
	public static final JsonCodec<TemplateHead> CODEC = new JsonCodec<>(TemplateHead.class, SCHEMA_VERSION);

	public TemplateHead {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(templateId, "templateId");
		Objects.requireNonNull(updatedAt, "updatedAt");
		versions = (versions != null) ? List.copyOf(versions) : List.of();
	}

	/** The version in force, or {@code null} when the template was deleted. */
	public @Nullable Long current() {
		return this.deleted ? null : this.version;
	}

	/**
	 * A kept version.
	 *
	 * @param version its number
	 * @param createdAt when it was written
	 */
	public record Kept(long version, Instant createdAt) {
	}

}
