package io.herald.routing.template.store;

import io.herald.events.HeaderNames;
import io.herald.events.TemplateCommand;
import io.herald.events.TemplateDefined;
import io.herald.events.TemplateTexts;
import io.herald.events.Topics;
import io.herald.routing.TestTracing;
import io.herald.routing.template.store.TemplateVerdicts.Outcome;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The template fold in a {@link TopologyTestDriver}: two templates per tenant, three
 * versions kept.
 */
class TemplateTopologyTests {

	private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@TempDir
	Path state;

	private final TestTracing tracing = new TestTracing();

	private TopologyTestDriver driver;

	private TestInputTopic<String, TemplateCommand> commands;

	private TestOutputTopic<String, TemplateDefined> catalog;

	@BeforeEach
	void start() {
		StreamsBuilder builder = new StreamsBuilder();
		new TemplateTopology(2, 3, this.tracing.tracing()).build(builder);
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "template-fold-test");
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		properties.put(StreamsConfig.STATE_DIR_CONFIG, this.state.toString());
		properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
		this.driver = new TopologyTestDriver(builder.build(), properties, T0);
		this.commands = this.driver.createInputTopic(Topics.TEMPLATE_COMMANDS.name(), new StringSerializer(),
				Topics.TEMPLATE_COMMANDS.codec().serializer());
		this.catalog = this.driver.createOutputTopic(Topics.TEMPLATES.name(), new StringDeserializer(),
				Topics.TEMPLATES.codec().deserializer());
	}

	@AfterEach
	void stop() {
		this.driver.close();
		this.tracing.close();
	}

	@Test
	void shouldNumberVersionsAndPublishEachToTheCatalogUnderTheTenantsKey() {
		put("acme", "welcome", "Hi", null);
		put("acme", "welcome", "Hello", null);

		List<TestRecord<String, TemplateDefined>> published = this.catalog.readRecordsToList();
		assertThat(published).extracting(TestRecord::key).containsExactly("acme|welcome", "acme|welcome");
		assertThat(published).extracting((record) -> record.value().version()).containsExactly(1L, 2L);
		assertThat(published.get(1).value().texts().get("default").title()).isEqualTo("Hello");
		assertThat(published.get(1).value().tenant()).isEqualTo("acme");
		assertThat(verdicts("acme")).extracting(TemplateVerdicts.Verdict::outcome)
			.containsExactly(Outcome.CREATED, Outcome.UPDATED);
	}

	@Test
	void shouldChangeNothingForTheTextsOfTheCurrentVersionButPublishItAgain() {
		put("acme", "welcome", "Hi", null);
		put("acme", "welcome", "Hi", null);

		assertThat(this.catalog.readValuesToList()).extracting(TemplateDefined::version).containsExactly(1L, 1L);
		assertThat(verdicts("acme")).extracting(TemplateVerdicts.Verdict::outcome)
			.containsExactly(Outcome.CREATED, Outcome.UNCHANGED);
		assertThat(head("acme", "welcome").versions()).hasSize(1);
	}

	@Test
	void shouldApplyAWriteOnlyWhenItsConditionHolds() {
		put("acme", "welcome", "Hi", new TemplateCommand.Condition(false, Set.of()));
		put("acme", "welcome", "Again", new TemplateCommand.Condition(false, Set.of()));
		put("acme", "welcome", "Stale", new TemplateCommand.Condition(true, Set.of(7L)));
		put("acme", "welcome", "Fresh", new TemplateCommand.Condition(true, Set.of(1L)));
		delete("acme", "welcome", new TemplateCommand.Condition(true, Set.of(1L)));

		assertThat(verdicts("acme")).extracting(TemplateVerdicts.Verdict::outcome, TemplateVerdicts.Verdict::version)
			.containsExactly(tuple(Outcome.CREATED, 1L), tuple(Outcome.PRECONDITION_FAILED, 1L),
					tuple(Outcome.PRECONDITION_FAILED, 1L), tuple(Outcome.UPDATED, 2L),
					tuple(Outcome.PRECONDITION_FAILED, 2L));
		assertThat(head("acme", "welcome").version()).isEqualTo(2);
	}

	@Test
	void shouldRefuseATemplateBeyondTheTenantsLimitButNotAnotherTenantsOrANewVersion() {
		put("acme", "one", "1", null);
		put("acme", "two", "2", null);
		put("acme", "three", "3", null);
		put("acme", "one", "1b", null);
		put("globex", "three", "3", null);
		delete("acme", "two", null);
		put("acme", "three", "3", null);

		assertThat(verdicts("acme")).extracting(TemplateVerdicts.Verdict::outcome)
			.containsExactly(Outcome.CREATED, Outcome.CREATED, Outcome.TOO_MANY_TEMPLATES, Outcome.UPDATED,
					Outcome.DELETED, Outcome.CREATED);
		assertThat(verdicts("globex")).extracting(TemplateVerdicts.Verdict::outcome).containsExactly(Outcome.CREATED);
	}

	@Test
	void shouldKeepTheNewestVersionsAndForgetOlderOnes() {
		for (int i = 1; i <= 5; i++) {
			put("acme", "welcome", "v" + i, null);
		}
		assertThat(head("acme", "welcome").versions()).extracting(TemplateHead.Kept::version)
			.containsExactly(3L, 4L, 5L);
		KeyValueStore<String, StoredVersion> versions = this.driver.getKeyValueStore(TemplateStores.VERSIONS);
		assertThat(versions.get(TemplateStores.version("acme", "welcome", 2))).isNull();
		assertThat(versions.get(TemplateStores.version("acme", "welcome", 3)).texts().get("default").title())
			.isEqualTo("v3");
	}

	@Test
	void shouldDeleteATemplateWithItsHistoryAndContinueItsNumbersWhenItIsCreatedAgain() {
		put("acme", "welcome", "Hi", null);
		put("acme", "welcome", "Hello", null);
		delete("acme", "welcome", null);
		delete("acme", "welcome", null);
		put("acme", "welcome", "Back", null);

		List<TestRecord<String, TemplateDefined>> published = this.catalog.readRecordsToList();
		assertThat(published).extracting(TestRecord::value)
			.extracting((template) -> (template != null) ? template.version() : null)
			.containsExactly(1L, 2L, null, 3L);
		assertThat(verdicts("acme")).extracting(TemplateVerdicts.Verdict::outcome)
			.containsExactly(Outcome.CREATED, Outcome.UPDATED, Outcome.DELETED, Outcome.NOT_FOUND, Outcome.CREATED);
		KeyValueStore<String, StoredVersion> versions = this.driver.getKeyValueStore(TemplateStores.VERSIONS);
		assertThat(versions.get(TemplateStores.version("acme", "welcome", 1))).isNull();
		assertThat(head("acme", "welcome").versions()).extracting(TemplateHead.Kept::version).containsExactly(3L);
	}

	@Test
	void shouldDecideACommandReadAgainOnceAndPublishTheCurrentStateAgain() {
		TemplateCommand command = new TemplateCommand.PutTemplate(TemplateCommand.SCHEMA_VERSION, "acme", "welcome",
				"request-1", T0, texts("Hi"), null);
		this.commands.pipeInput("acme", command);
		this.commands.pipeInput("acme", command);

		assertThat(this.catalog.readValuesToList()).extracting(TemplateDefined::version).containsExactly(1L, 1L);
		assertThat(verdicts("acme")).hasSize(1);
		assertThat(head("acme", "welcome").version()).isEqualTo(1);
	}

	@Test
	void shouldKeepTenantsApartUnderTheSameTemplateId() {
		put("acme", "welcome", "Acme", null);
		put("globex", "welcome", "Globex", null);

		assertThat(this.catalog.readKeyValuesToMap())
			.hasEntrySatisfying("acme|welcome",
					(template) -> assertThat(template.texts().get("default").title()).isEqualTo("Acme"))
			.hasEntrySatisfying("globex|welcome",
					(template) -> assertThat(template.texts().get("default").title()).isEqualTo("Globex"));
	}

	@Test
	void shouldContinueTheTraceOfTheCommand() {
		RecordHeaders headers = new RecordHeaders();
		headers.add(HeaderNames.TRACEPARENT, TRACEPARENT.getBytes(StandardCharsets.UTF_8));
		this.commands.pipeInput(new TestRecord<>("acme", new TemplateCommand.PutTemplate(TemplateCommand.SCHEMA_VERSION,
				"acme", "welcome", "r", T0, texts("Hi"), null), headers, T0));

		TestRecord<String, TemplateDefined> published = this.catalog.readRecord();
		String traceparent = new String(published.headers().lastHeader(HeaderNames.TRACEPARENT).value(),
				StandardCharsets.UTF_8);
		assertThat(traceparent).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").doesNotContain("00f067aa0ba902b7");
	}

	private void put(String tenant, String id, String title, TemplateCommand.@Nullable Condition condition) {
		this.commands.pipeInput(tenant, new TemplateCommand.PutTemplate(TemplateCommand.SCHEMA_VERSION, tenant, id,
				UUID.randomUUID().toString(), T0, texts(title), condition));
	}

	private void delete(String tenant, String id, TemplateCommand.@Nullable Condition condition) {
		this.commands.pipeInput(tenant, new TemplateCommand.DeleteTemplate(TemplateCommand.SCHEMA_VERSION, tenant, id,
				UUID.randomUUID().toString(), T0, condition));
	}

	private static Map<String, TemplateTexts> texts(String title) {
		return Map.of("default", new TemplateTexts(title, "Body", null, Map.of()));
	}

	private List<TemplateVerdicts.Verdict> verdicts(String tenant) {
		KeyValueStore<String, TemplateVerdicts> store = this.driver.getKeyValueStore(TemplateStores.VERDICTS);
		return store.get(tenant).verdicts();
	}

	private TemplateHead head(String tenant, String id) {
		KeyValueStore<String, TemplateHead> store = this.driver.getKeyValueStore(TemplateStores.HEADS);
		return store.get(TemplateStores.head(tenant, id));
	}

}
