package io.herald.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A change to one of a tenant's own templates, as the template API accepted it: the value
 * of {@link Topics#TEMPLATE_COMMANDS}, keyed by the tenant, so that every change of one
 * tenant's templates is applied in order by the one routing task that owns the tenant.
 * That task numbers the versions, checks the condition and the tenant's limits, keeps the
 * history, and publishes the outcome to {@link Topics#TEMPLATES}.
 *
 * <p>
 * Every command carries a fresh {@code requestId}: the API waits for the verdict on it.
 * The JSON names the command in {@code command}, for example
 * {@code "command": "put-template"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "command")
@JsonSubTypes({ @JsonSubTypes.Type(value = TemplateCommand.PutTemplate.class, name = "put-template"),
		@JsonSubTypes.Type(value = TemplateCommand.DeleteTemplate.class, name = "delete-template") })
public sealed interface TemplateCommand extends Versioned {

	/** The version written by this code, and the highest it reads. */
	int SCHEMA_VERSION = 1;

	/** The tenant whose template changes. */
	String tenant();

	/** The template. */
	String templateId();

	/** An id of the request, unique among the template's recent writes. */
	String requestId();

	/** When the API accepted the command. */
	Instant at();

	/**
	 * What must hold for the command to be applied, or {@code null} when it always is.
	 */
	@Nullable Condition condition();

	/** The key of the command on its topic: the tenant. */
	default String key() {
		return tenant();
	}

	/**
	 * Creates the template, or gives it a new version with these texts. Texts equal to
	 * the current version's change nothing.
	 *
	 * @param texts the texts by normalized locale, checked by the API; {@code default}
	 * has a title and a body
	 */
	record PutTemplate(int schemaVersion, String tenant, String templateId, String requestId, Instant at,
			Map<String, TemplateTexts> texts, @Nullable Condition condition) implements TemplateCommand {

		public PutTemplate {
			requireIdentity(tenant, templateId, requestId, at);
			texts = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(texts, "texts")));
		}

	}

	/** Deletes the template and its history; its id keeps its last version number. */
	record DeleteTemplate(int schemaVersion, String tenant, String templateId, String requestId, Instant at,
			@Nullable Condition condition) implements TemplateCommand {

		public DeleteTemplate {
			requireIdentity(tenant, templateId, requestId, at);
		}

	}

	/**
	 * A precondition, from the request's {@code If-Match} or {@code If-None-Match: *}.
	 *
	 * @param exists whether the template must exist ({@code If-Match}) or must not
	 * ({@code If-None-Match: *})
	 * @param versions the versions the template may have when it must exist, empty for
	 * any ({@code If-Match: *})
	 */
	record Condition(boolean exists, Set<Long> versions) {

		public Condition {
			versions = (versions != null) ? Set.copyOf(versions) : Set.of();
			if (!exists && !versions.isEmpty()) {
				throw new IllegalArgumentException("a template that must not exist has no versions");
			}
		}

		/**
		 * Whether the condition holds for a template.
		 * @param current the template's version, {@code null} when it does not exist
		 */
		public boolean holdsFor(@Nullable Long current) {
			if (!this.exists) {
				return current == null;
			}
			return current != null && (this.versions.isEmpty() || this.versions.contains(current));
		}

	}

	private static void requireIdentity(String tenant, String templateId, String requestId, Instant at) {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(templateId, "templateId");
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(at, "at");
		if (!Identifiers.matches(Identifiers.TENANT, tenant)
				|| !Identifiers.matches(Identifiers.TEMPLATE, templateId)) {
			throw new IllegalArgumentException(
					"tenant '" + tenant + "' or template id '" + templateId + "' is invalid");
		}
	}

}
