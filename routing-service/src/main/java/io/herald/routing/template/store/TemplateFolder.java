package io.herald.routing.template.store;

import io.herald.events.TemplateCommand;
import io.herald.events.TemplateDefined;
import io.herald.routing.template.store.TemplateVerdicts.Outcome;
import io.herald.routing.template.store.TemplateVerdicts.Verdict;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Folds {@code herald.template-commands} into the template stores, one tenant's commands
 * in order, and publishes every template version that comes into force, and every
 * deletion (a tombstone), to {@code herald.templates}, keyed {@code tenant|templateId},
 * from which every routing and ingestion instance reads. Here alone are versions
 * numbered, conditions ({@code If-Match}, {@code If-None-Match: *}) checked and a
 * tenant's templates counted, so two writes that race on two instances are ordered and
 * neither is lost.
 *
 * <ul>
 * <li>Put: refused when its condition does not hold
 * ({@link Outcome#PRECONDITION_FAILED}), or when it would create a template beyond
 * {@code maxPerTenant} ({@link Outcome#TOO_MANY_TEMPLATES}); the same texts as the
 * current version change nothing ({@link Outcome#UNCHANGED}, and the current version is
 * published again); otherwise a new version, one more than the template's last (also
 * across a deletion), kept with the {@code maxVersions - 1} before it.</li>
 * <li>Delete: refused when its condition does not hold, or when there is no template
 * ({@link Outcome#NOT_FOUND}); otherwise the template and its history are gone, and only
 * its last version number stays.</li>
 * </ul>
 * Every command gets a verdict under its request id ({@link TemplateVerdicts}), which the
 * API waits for. Routing is at least once (docs/adr/013): a command read again after a
 * crash finds its verdict, changes nothing, and publishes the template's current state
 * again, which the compacted topic absorbs.
 *
 * <p>
 * A command whose record key is not its tenant is refused (an exception, so it is
 * dead-lettered): it sits on a partition that does not own the tenant.
 */
final class TemplateFolder implements Processor<String, TemplateCommand, String, TemplateDefined> {

	/** The name of the span of one command. */
	static final String SPAN = "herald.template.fold";

	private static final StringSerializer KEYS = new StringSerializer();

	private final int maxPerTenant;

	private final int maxVersions;

	private final RecordTracing tracing;

	private @Nullable ProcessorContext<String, TemplateDefined> context;

	private @Nullable KeyValueStore<String, TemplateHead> heads;

	private @Nullable KeyValueStore<String, StoredVersion> versions;

	private @Nullable KeyValueStore<String, TemplateVerdicts> verdicts;

	/**
	 * @param maxPerTenant most templates one tenant may have
	 * @param maxVersions versions kept per template
	 * @param tracing continues each command's trace
	 */
	TemplateFolder(int maxPerTenant, int maxVersions, RecordTracing tracing) {
		this.maxPerTenant = maxPerTenant;
		this.maxVersions = maxVersions;
		this.tracing = tracing;
	}

	@Override
	public void init(ProcessorContext<String, TemplateDefined> context) {
		this.context = context;
		this.heads = context.getStateStore(TemplateStores.HEADS);
		this.versions = context.getStateStore(TemplateStores.VERSIONS);
		this.verdicts = context.getStateStore(TemplateStores.VERDICTS);
	}

	@Override
	public void process(Record<String, TemplateCommand> record) {
		TemplateCommand command = record.value();
		if (command == null) {
			return;
		}
		if (!command.key().equals(record.key())) {
			throw new IllegalArgumentException("template command keyed '" + record.key() + "' is about tenant '"
					+ command.tenant() + "': wrong partition");
		}
		Span span = this.tracing.start(SPAN, record.headers());
		span.tag("herald.tenant", command.tenant());
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			fold(record.timestamp(), command, span);
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private void fold(long timestamp, TemplateCommand command, Span span) {
		String tenant = command.tenant();
		Output out = new Output(timestamp, span);
		TemplateVerdicts known = verdicts().get(tenant);
		TemplateVerdicts decided = (known != null) ? known
				: new TemplateVerdicts(TemplateVerdicts.SCHEMA_VERSION, tenant, List.of());
		TemplateHead head = heads().get(TemplateStores.head(tenant, command.templateId()));
		if (decided.find(command.requestId()).isPresent()) {
			// Read again after a crash: decided before, and maybe not published yet.
			span.tag("herald.outcome", "replayed");
			publishCurrent(head, out);
			return;
		}
		Verdict verdict = switch (command) {
			case TemplateCommand.PutTemplate put -> put(put, head, out);
			case TemplateCommand.DeleteTemplate delete -> delete(delete, head, out);
		};
		span.tag("herald.outcome", verdict.outcome().name().toLowerCase(Locale.ROOT));
		verdicts().put(tenant, decided.with(verdict));
	}

	private Verdict put(TemplateCommand.PutTemplate put, @Nullable TemplateHead head, Output out) {
		Long current = (head != null) ? head.current() : null;
		TemplateCommand.Condition condition = put.condition();
		if (condition != null && !condition.holdsFor(current)) {
			return verdict(put, Outcome.PRECONDITION_FAILED, (current != null) ? current : 0);
		}
		if (current == null && count(put.tenant()) >= this.maxPerTenant) {
			return verdict(put, Outcome.TOO_MANY_TEMPLATES, 0);
		}
		if (head != null && current != null) {
			StoredVersion latest = versions().get(TemplateStores.version(put.tenant(), put.templateId(), current));
			if (latest != null && latest.texts().equals(put.texts())) {
				publishCurrent(head, out);
				return verdict(put, Outcome.UNCHANGED, current);
			}
		}
		long next = ((head != null) ? head.version() : 0) + 1;
		versions().put(TemplateStores.version(put.tenant(), put.templateId(), next), new StoredVersion(
				StoredVersion.SCHEMA_VERSION, put.tenant(), put.templateId(), next, put.at(), put.texts()));
		List<TemplateHead.Kept> kept = new ArrayList<>((head != null && current != null) ? head.versions() : List.of());
		kept.add(new TemplateHead.Kept(next, put.at()));
		while (kept.size() > this.maxVersions) {
			versions().delete(TemplateStores.version(put.tenant(), put.templateId(), kept.remove(0).version()));
		}
		TemplateHead updated = new TemplateHead(TemplateHead.SCHEMA_VERSION, put.tenant(), put.templateId(), next,
				false, put.at(), kept);
		heads().put(TemplateStores.head(put.tenant(), put.templateId()), updated);
		out.publish(put.tenant(), put.templateId(),
				TemplateDefined.ofTenant(put.tenant(), put.templateId(), next, put.at(), put.texts()));
		return verdict(put, (current == null) ? Outcome.CREATED : Outcome.UPDATED, next);
	}

	private Verdict delete(TemplateCommand.DeleteTemplate delete, @Nullable TemplateHead head, Output out) {
		Long current = (head != null) ? head.current() : null;
		TemplateCommand.Condition condition = delete.condition();
		if (condition != null && !condition.holdsFor(current)) {
			return verdict(delete, Outcome.PRECONDITION_FAILED, (current != null) ? current : 0);
		}
		if (head == null || current == null) {
			return verdict(delete, Outcome.NOT_FOUND, 0);
		}
		for (TemplateHead.Kept kept : head.versions()) {
			versions().delete(TemplateStores.version(delete.tenant(), delete.templateId(), kept.version()));
		}
		heads().put(TemplateStores.head(delete.tenant(), delete.templateId()),
				new TemplateHead(TemplateHead.SCHEMA_VERSION, delete.tenant(), delete.templateId(), current, true,
						delete.at(), List.of()));
		out.publish(delete.tenant(), delete.templateId(), null);
		return verdict(delete, Outcome.DELETED, current);
	}

	/**
	 * Publishes the template's current state again: its version in force, or a tombstone.
	 */
	private void publishCurrent(@Nullable TemplateHead head, Output out) {
		if (head == null) {
			return;
		}
		Long current = head.current();
		if (current == null) {
			out.publish(head.tenant(), head.templateId(), null);
			return;
		}
		StoredVersion stored = versions().get(TemplateStores.version(head.tenant(), head.templateId(), current));
		if (stored != null) {
			out.publish(head.tenant(), head.templateId(), TemplateDefined.ofTenant(head.tenant(), head.templateId(),
					current, stored.createdAt(), stored.texts()));
		}
	}

	/** The templates a tenant has now, deleted ones not counted. */
	private int count(String tenant) {
		int count = 0;
		try (KeyValueIterator<String, TemplateHead> all = heads().prefixScan(TemplateStores.head(tenant, ""), KEYS)) {
			while (all.hasNext()) {
				if (!all.next().value.deleted()) {
					count++;
				}
			}
		}
		return count;
	}

	private static Verdict verdict(TemplateCommand command, Outcome outcome, long version) {
		return new Verdict(command.requestId(), command.templateId(), outcome, version);
	}

	private KeyValueStore<String, TemplateHead> heads() {
		return initialized(this.heads);
	}

	private KeyValueStore<String, StoredVersion> versions() {
		return initialized(this.versions);
	}

	private KeyValueStore<String, TemplateVerdicts> verdicts() {
		return initialized(this.verdicts);
	}

	private static <T> T initialized(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("TemplateFolder used before init()");
		}
		return value;
	}

	/** Writes what one command publishes, in the command's trace. */
	private final class Output {

		private final long timestamp;

		private final Span span;

		Output(long timestamp, Span span) {
			this.timestamp = timestamp;
			this.span = span;
		}

		void publish(String tenant, String templateId, @Nullable TemplateDefined template) {
			initialized(TemplateFolder.this.context)
				.forward(new Record<String, TemplateDefined>(TemplateDefined.key(tenant, templateId), template,
						this.timestamp, TemplateFolder.this.tracing.headers(this.span)));
		}

	}

}
