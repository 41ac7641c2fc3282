package io.herald.routing.template.store;

import io.herald.events.Topics;
import io.herald.support.tracing.RecordTracing;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The template fold, a sub-topology of its own in the main routing application
 * ({@code herald-routing}) only, so every command is applied once:
 *
 * <pre>
 * herald.template-commands (key tenant) ──► fold-templates ──► herald.templates (key tenant|templateId)
 *                               [templates] [template-versions] [template-verdicts]
 * </pre>
 *
 * Its tasks are not those of the routing sub-topology: a flood of events waits on other
 * tasks, not ahead of a template write (both share the application's stream threads).
 */
public final class TemplateTopology {

	private final int maxPerTenant;

	private final int maxVersions;

	private final RecordTracing tracing;

	/**
	 * @param maxPerTenant most templates one tenant may have
	 * @param maxVersions versions kept per template
	 * @param tracing continues each command's trace
	 */
	public TemplateTopology(int maxPerTenant, int maxVersions, RecordTracing tracing) {
		this.maxPerTenant = maxPerTenant;
		this.maxVersions = maxVersions;
		this.tracing = tracing;
	}

	/** Adds the template fold to a builder. */
	public void build(StreamsBuilder builder) {
		addStore(builder, TemplateStores.HEADS, TemplateHead.CODEC.serde());
		addStore(builder, TemplateStores.VERSIONS, StoredVersion.CODEC.serde());
		addStore(builder, TemplateStores.VERDICTS, TemplateVerdicts.CODEC.serde());
		builder
			.stream(Topics.TEMPLATE_COMMANDS.name(),
					Consumed.with(Serdes.String(), Topics.TEMPLATE_COMMANDS.codec().serde())
						.withName("template-commands"))
			.process(() -> new TemplateFolder(this.maxPerTenant, this.maxVersions, this.tracing),
					Named.as("fold-templates"), TemplateStores.HEADS, TemplateStores.VERSIONS, TemplateStores.VERDICTS)
			.to(Topics.TEMPLATES.name(),
					Produced.with(Serdes.String(), Topics.TEMPLATES.codec().serde()).withName("template-catalog"));
	}

	/**
	 * A persistent store keyed by strings, written through at once (no cache): the fold
	 * reads its own writes.
	 */
	private static <V> void addStore(StreamsBuilder builder, String name, Serde<V> values) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
			.withCachingDisabled());
	}

}
