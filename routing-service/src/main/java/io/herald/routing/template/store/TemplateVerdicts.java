package io.herald.routing.template.store;

import io.herald.events.JsonCodec;
import io.herald.events.Versioned;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What was decided about a tenant's latest template commands, oldest first, at most
 * {@link #MAX_VERDICTS}: how the template API learns the outcome of a write it published.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param verdicts the latest verdicts, oldest first
 */
public record TemplateVerdicts(int schemaVersion, String tenant, List<Verdict> verdicts) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/**
	 * Verdicts kept per tenant: enough for every write of one tenant that may still be
	 * waiting for its answer, unless more than this many race within one answer's wait
	 * (then the oldest writer answers {@code 202}, never a wrong outcome).
	 */
	public static final int MAX_VERDICTS = 64;

	/** The codec of the store and of the answers between instances. */
	public static final JsonCodec<TemplateVerdicts> CODEC = new JsonCodec<>(TemplateVerdicts.class, SCHEMA_VERSION);

	public TemplateVerdicts {
		Objects.requireNonNull(tenant, "tenant");
		verdicts = (verdicts != null) ? List.copyOf(verdicts) : List.of();
	}

	/** The verdict on a request, if it is still kept. */
	public Optional<Verdict> find(String requestId) {
		for (Verdict verdict : this.verdicts) {
			if (verdict.requestId().equals(requestId)) {
				return Optional.of(verdict);
			}
		}
		return Optional.empty();
	}

	/** These verdicts and one more, the oldest dropped beyond {@link #MAX_VERDICTS}. */
	TemplateVerdicts with(Verdict verdict) {
		List<Verdict> verdicts = new ArrayList<>(this.verdicts);
		verdicts.add(verdict);
		return new TemplateVerdicts(SCHEMA_VERSION, this.tenant,
				verdicts.subList(Math.max(0, verdicts.size() - MAX_VERDICTS), verdicts.size()));
	}

	/**
	 * What was decided about one command.
	 *
	 * @param requestId the command's request id
	 * @param templateId the template
	 * @param outcome what happened
	 * @param version the version written, deleted or found; {@code 0} for none
	 */
	public record Verdict(String requestId, String templateId, Outcome outcome, long version) {
	}

	/** What a template command did. */
	public enum Outcome {

		/** The template did not exist (or was deleted) and has its first version now. */
		CREATED,

		/** The template has a new version. */
		UPDATED,

		/** The texts were those of the current version: nothing changed. */
		UNCHANGED,

		/** The template was deleted. */
		DELETED,

		/**
		 * The command's condition did not hold: nothing changed; {@code version} is the
		 * current one.
		 */
		PRECONDITION_FAILED,

		/** The tenant has as many templates as it may: nothing was created. */
		TOO_MANY_TEMPLATES,

		/** There was no template to delete. */
		NOT_FOUND

	}

}
