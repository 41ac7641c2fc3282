package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A template that events may name: the value of {@link Topics#TEMPLATES}, keyed by
 * {@link #key()}. A template that is no longer defined is a tombstone (a {@code null}
 * value) under its key.
 *
 * <p>
 * A template shared by every tenant (from the routing service's files) is keyed by its id
 * and carries only what ingestion needs to check an event: its locales and channels. A
 * tenant's own template (created through the template API) is keyed {@code tenant|id} and
 * carries its whole content as well, {@code tenant}, {@code version}, {@code updatedAt}
 * and {@code texts}, from which every routing instance renders it.
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param id the template id, an event's {@code template}
 * @param locales the locales it has texts for, as normalized tags ({@code default},
 * {@code de}, {@code de-de}), sorted
 * @param channels the channels it renders, in channel order; an event that lists a
 * channel outside this set explicitly in {@code channels} is refused
 * @param tenant the tenant whose own template this is, or {@code null} for a shared one
 * @param version a tenant template's version, from 1, one more for each change; never
 * reused for the same id, also after the template was deleted; {@code null} for a shared
 * one
 * @param updatedAt when a tenant template got this version, or {@code null}
 * @param texts a tenant template's texts by normalized locale, or {@code null}
 */
public record TemplateDefined(int schemaVersion, String id, List<String> locales, Set<Channel> channels,
		@Nullable String tenant, @Nullable Long version, @Nullable Instant updatedAt,
		@Nullable Map<String, TemplateTexts> texts) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	public TemplateDefined {
		Objects.requireNonNull(id, "id");
		if (!Identifiers.matches(Identifiers.TEMPLATE, id)) {
			throw new IllegalArgumentException("template id '" + id + "' must match [a-z0-9_.-]{1,100}");
		}
		locales = List.copyOf(new TreeSet<>(Objects.requireNonNull(locales, "locales")));
		channels = Channel.setOf(channels);
		if (tenant != null && !Identifiers.matches(Identifiers.TENANT, tenant)) {
			throw new IllegalArgumentException("tenant '" + tenant + "' must match " + Identifiers.TENANT_REGEX);
		}
		if ((tenant == null) != (version == null) || (tenant == null) != (texts == null)) {
			throw new IllegalArgumentException(
					"a tenant template has a tenant, a version and texts; a shared one none");
		}
		if (version != null && version < 1) {
			throw new IllegalArgumentException("version must be at least 1, not " + version);
		}
		texts = (texts != null) ? Collections.unmodifiableMap(new TreeMap<>(texts)) : null;
	}

	/** A shared template of the current schema version. */
	public static TemplateDefined of(String id, List<String> locales, Set<Channel> channels) {
		return new TemplateDefined(SCHEMA_VERSION, id, locales, channels, null, null, null, null);
	}

	/**
	 * A version of a tenant's own template, which renders every channel (its
	 * {@code default} locale has a title and a body, the fallback of every channel).
	 */
	public static TemplateDefined ofTenant(String tenant, String id, long version, Instant updatedAt,
			Map<String, TemplateTexts> texts) {
		return new TemplateDefined(SCHEMA_VERSION, id, List.copyOf(texts.keySet()), EnumSet.allOf(Channel.class),
				tenant, version, updatedAt, texts);
	}

	/**
	 * The key of this template on {@link Topics#TEMPLATES}: {@code tenant|id}, or the id
	 * of a shared one.
	 */
	public String key() {
		return (this.tenant != null) ? key(this.tenant, this.id) : this.id;
	}

	/** The key of a tenant's own template on {@link Topics#TEMPLATES}. */
	public static String key(String tenant, String id) {
		return PartitionKeys.template(tenant, id);
	}

}
