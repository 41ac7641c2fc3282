package io.herald.gateway;

import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.infra.contract.DocumentSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public Kafka topics against the AsyncAPI document: every topic of common-events'
 * {@link Topics} is a channel, every channel names real topics, and every golden record
 * of common-events' tests is valid against its message's schema.
 */
class EventTopicsDocumentTests {

	/** The golden records of common-events, which round-trip every record type. */
	private static final Path GOLDEN = Path.of("..", "common-events", "src", "test", "resources", "golden");

	/**
	 * The message of each kind of golden record; {@code user-state} is the value of a
	 * store, not of a topic.
	 */
	private static final Map<String, String> MESSAGES = Map.ofEntries(Map.entry("event-accepted", "eventAccepted"),
			Map.entry("status-reported", "statusReported"), Map.entry("deliver-notification", "deliverNotification"),
			Map.entry("template-defined", "templateDefined"), Map.entry("user-command", "userCommand"),
			Map.entry("template-command", "templateCommand"), Map.entry("call-webhook", "callWebhook"),
			Map.entry("event-cancelled", "eventCancelled"), Map.entry("retract-notification", "retractNotification"),
			Map.entry("digest-setting", "digestSetting"));

	private final AsyncApiDocument document = AsyncApiDocument.load();

	@Test
	void everyTopicIsAChannelAndEveryChannelNamesRealTopics() {
		Set<String> topics = topics();
		Set<String> documented = new TreeSet<>();
		List<Pattern> patterns = new ArrayList<>();
		this.document.json().get("channels").properties().forEach((channel) -> {
			if (!channel.getValue().path("servers").toString().contains("#/servers/kafka")) {
				return;
			}
			String address = channel.getValue().get("address").stringValue();
			JsonNode parameters = channel.getValue().path("parameters");
			if (address.contains("{") && parameters.properties()
				.stream()
				.allMatch((parameter) -> this.document.resolve(parameter.getValue()).has("enum"))) {
				documented.addAll(expand(address, parameters));
			}
			else if (address.contains("{")) {
				patterns.add(pattern(address, parameters));
			}
			else {
				documented.add(address);
			}
		});
		Set<String> patterned = new TreeSet<>(topics);
		patterned.removeAll(documented);
		assertThat(patterned).as("topics of Topics that no channel names")
			.allSatisfy((topic) -> assertThat(patterns).anySatisfy((pattern) -> assertThat(topic).matches(pattern)));
		Set<String> named = new TreeSet<>(topics);
		documented.forEach((topic) -> assertThat(named).as("documented topics").contains(topic));
	}

	@Test
	void everyGoldenRecordIsValidAgainstItsMessage() throws IOException {
		assertThat(GOLDEN).as("common-events' golden records, beside this module").isDirectory();
		List<String> problems = new ArrayList<>();
		int checked = 0;
		try (Stream<Path> files = Files.list(GOLDEN)) {
			for (Path file : files.sorted().toList()) {
				String name = file.getFileName().toString();
				if (name.startsWith("user-state")) {
					continue;
				}
				String message = MESSAGES.entrySet()
					.stream()
					.filter((kind) -> name.startsWith(kind.getKey() + "-") || name.equals(kind.getKey() + ".json"))
					.map(Map.Entry::getValue)
					.findFirst()
					.orElseThrow(() -> new AssertionError("no message for the golden record " + name));
				problems.addAll(this.document.checkPayload(this.document.message(message),
						JsonCodec.MAPPER.readTree(Files.readString(file))));
				checked++;
			}
		}
		assertThat(problems).isEmpty();
		assertThat(checked).isGreaterThanOrEqualTo(MESSAGES.size());
	}

	@Test
	void theKeysAreAsDocumented() {
		JsonNode key = this.document.json().at("/components/schemas/TenantKey");
		DocumentSchema schema = DocumentSchema.of(this.document.json(), key);
		assertThat(schema.validate(JsonCodec.MAPPER.valueToTree(PartitionKeys.user("acme", "u-42")))).isEmpty();
		assertThat(schema.validate(JsonCodec.MAPPER.valueToTree(PartitionKeys.event("acme", "0b8e2f0e")))).isEmpty();
		assertThat(schema.validate(JsonCodec.MAPPER.valueToTree("u-42"))).isNotEmpty();
	}

	/**
	 * Every topic of {@link Topics}: its constants, every delivery lane, a retry level
	 * and dead-letter topic of each.
	 */
	private static Set<String> topics() {
		Set<String> topics = new TreeSet<>();
		for (Field field : Topics.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == Topic.class) {
				try {
					topics.add(((Topic<?>) field.get(null)).name());
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		Topics.EVENT_LOGS.forEach((log) -> topics.add(log.name()));
		for (Channel channel : Channel.values()) {
			for (Topic<DeliverNotification> lane : Topics.deliveryLanes(channel)) {
				topics.add(lane.name());
				topics.add(Topics.retry(lane, 1));
			}
		}
		new TreeSet<>(topics).forEach((topic) -> topics.add(Topics.deadLetter(topic)));
		return topics;
	}

	/** Every address a channel's enumerated parameters make. */
	private List<String> expand(String address, JsonNode parameters) {
		Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(address);
		if (!matcher.find()) {
			return List.of(address);
		}
		List<String> addresses = new ArrayList<>();
		for (JsonNode value : this.document.resolve(parameters.get(matcher.group(1))).get("enum")) {
			addresses.addAll(expand(
					address.substring(0, matcher.start()) + value.stringValue() + address.substring(matcher.end()),
					parameters));
		}
		return addresses;
	}

	/**
	 * The addresses a channel makes, its enumerated parameters as alternatives and the
	 * others as anything.
	 */
	private Pattern pattern(String address, JsonNode parameters) {
		StringBuilder regex = new StringBuilder();
		Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(address);
		int end = 0;
		while (matcher.find()) {
			regex.append(Pattern.quote(address.substring(end, matcher.start())));
			JsonNode values = this.document.resolve(parameters.get(matcher.group(1))).get("enum");
			List<String> alternatives = new ArrayList<>();
			if (values != null) {
				values.forEach((value) -> alternatives.add(Pattern.quote(value.stringValue())));
			}
			regex.append((values != null) ? "(" + String.join("|", alternatives) + ")" : ".+");
			end = matcher.end();
		}
		return Pattern.compile(regex.append(Pattern.quote(address.substring(end))).toString());
	}

}
