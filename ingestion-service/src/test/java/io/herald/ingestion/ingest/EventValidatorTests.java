package io.herald.ingestion.ingest;

import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.ingestion.template.TemplateCatalog;
import io.herald.support.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	/**
	 * Templates {@code t} and {@code weekly} render every channel, {@code app-only}
	 * in-app and push.
	 */
	private static final TemplateCatalog TEMPLATES = (tenant, id) -> switch (id) {
		case "t", "weekly" -> new TemplateCatalog.Lookup.Defined(EnumSet.allOf(Channel.class));
		case "app-only" -> new TemplateCatalog.Lookup.Defined(EnumSet.of(Channel.INAPP, Channel.PUSH));
		default -> new TemplateCatalog.Lookup.Undefined();
	};

	private final EventValidator validator = validator(TEMPLATES);

	@Test
	void acceptsTheExampleOfTheApi() {
		EventDraft draft = valid("""
				{"type": "order.shipped", "recipients": {"users": ["u-42", "u-43"]}, "priority": "high",
				 "idempotencyKey": "order-981-shipped", "channels": ["inapp", "push", "email"],
				 "content": {"title": "Your order shipped", "body": "Order 981 is on its way"},
				 "data": {"orderId": "981"}, "sendAt": "2026-11-22T18:00:00Z", "expiresAt": "2026-11-23T18:00:00Z"}""");
		assertThat(draft.recipients()).isEqualTo(new Recipients.Users(List.of("u-42", "u-43")));
		assertThat(draft.priority()).isEqualTo(Priority.HIGH);
		assertThat(draft.channels()).containsExactlyInAnyOrder(Channel.INAPP, Channel.PUSH, Channel.EMAIL);
		assertThat(draft.sendAt()).isEqualTo(Instant.parse("2026-11-22T18:00:00Z"));
		assertThat(draft.data()).containsEntry("orderId", "981");
	}

	@Test
	void acceptsTopicAndAllRecipientsAndTemplates() {
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"topic\":\"news\"},\"template\":\"weekly\"}").recipients())
			.isEqualTo(new Recipients.Topic("news"));
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"weekly\"}").recipients())
			.isEqualTo(new Recipients.AllUsers(true));
	}

	@Test
	void defaultsToNormalPriorityAndEveryChannel() {
		EventDraft draft = valid("{\"type\":\"a\",\"recipients\":{\"users\":[\"u\"]},\"template\":\"t\"}");
		assertThat(draft.priority()).isEqualTo(Priority.NORMAL);
		assertThat(draft.channels()).isEmpty();
	}

	@Test
	void removesRepeatedUsersKeepingTheirOrder() {
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"users\":[\"b\",\"a\",\"b\"]},\"template\":\"t\"}")
			.recipients()).isEqualTo(new Recipients.Users(List.of("b", "a")));
	}

	@Test
	void acceptsTimesWithAnOffset() {
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\","
				+ "\"sendAt\":\"2026-11-22T19:00:00+01:00\"}")
			.sendAt()).isEqualTo(Instant.parse("2026-11-22T18:00:00Z"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';',
			textBlock = """
					not an object ; [] ; ''
					missing type ; {"recipients":{"all":true},"template":"t"} ; type
					type with capitals ; {"type":"Order","recipients":{"all":true},"template":"t"} ; type
					type not a string ; {"type":5,"recipients":{"all":true},"template":"t"} ; type
					type too long ; {"type":"%s","recipients":{"all":true},"template":"t"} ; type
					missing recipients ; {"type":"a","template":"t"} ; recipients
					recipients not an object ; {"type":"a","recipients":["u"],"template":"t"} ; recipients
					two kinds of recipients ; {"type":"a","recipients":{"users":["u"],"topic":"x"},"template":"t"} ; recipients
					no kind of recipients ; {"type":"a","recipients":{},"template":"t"} ; recipients
					empty users ; {"type":"a","recipients":{"users":[]},"template":"t"} ; recipients.users
					users not an array ; {"type":"a","recipients":{"users":"u"},"template":"t"} ; recipients.users
					user id with a pipe ; {"type":"a","recipients":{"users":["ok","a|b"]},"template":"t"} ; recipients.users[1]
					user id with braces ; {"type":"a","recipients":{"users":["{x}"]},"template":"t"} ; recipients.users[0]
					user id not a string ; {"type":"a","recipients":{"users":[42]},"template":"t"} ; recipients.users[0]
					bad topic name ; {"type":"a","recipients":{"topic":"A B"},"template":"t"} ; recipients.topic
					all false ; {"type":"a","recipients":{"all":false},"template":"t"} ; recipients.all
					unknown priority ; {"type":"a","recipients":{"all":true},"template":"t","priority":"urgent"} ; priority
					idempotency key empty ; {"type":"a","recipients":{"all":true},"template":"t","idempotencyKey":""} ; idempotencyKey
					idempotency key with newline ; {"type":"a","recipients":{"all":true},"template":"t","idempotencyKey":"a\\nb"} ; idempotencyKey
					idempotency key a number ; {"type":"a","recipients":{"all":true},"template":"t","idempotencyKey":7} ; idempotencyKey
					unknown channel ; {"type":"a","recipients":{"all":true},"template":"t","channels":["fax"]} ; channels[0]
					empty channels ; {"type":"a","recipients":{"all":true},"template":"t","channels":[]} ; channels
					channels not an array ; {"type":"a","recipients":{"all":true},"template":"t","channels":"push"} ; channels
					neither content nor template ; {"type":"a","recipients":{"all":true}} ; content
					both content and template ; {"type":"a","recipients":{"all":true},"template":"t","content":{"title":"x","body":"y"}} ; template
					content without title ; {"type":"a","recipients":{"all":true},"content":{"body":"y"}} ; content.title
					content with blank body ; {"type":"a","recipients":{"all":true},"content":{"title":"x","body":"  "}} ; content.body
					content not an object ; {"type":"a","recipients":{"all":true},"content":"hi"} ; content
					override of unknown channel ; {"type":"a","recipients":{"all":true},"content":{"title":"x","body":"y","overrides":{"fax":{}}}} ; content.overrides.fax
					override title not a string ; {"type":"a","recipients":{"all":true},"content":{"title":"x","body":"y","overrides":{"sms":{"title":1}}}} ; content.overrides.sms.title
					bad template id ; {"type":"a","recipients":{"all":true},"template":"../etc/passwd"} ; template
					data not an object ; {"type":"a","recipients":{"all":true},"template":"t","data":[1]} ; data
					sendAt without offset ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"2026-11-22T18:00:00"} ; sendAt
					sendAt not a time ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"tomorrow"} ; sendAt
					sendAt too far ahead ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"2099-01-01T00:00:00Z"} ; sendAt
					expiresAt in the past ; {"type":"a","recipients":{"all":true},"template":"t","expiresAt":"2020-01-01T00:00:00Z"} ; expiresAt
					sendAt years in the past ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"1970-01-01T00:00:00Z"} ; sendAt
					sendAt beyond any calendar ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"+999999999-12-31T23:59:59Z"} ; sendAt
					expiresAt far in the future ; {"type":"a","recipients":{"all":true},"template":"t","expiresAt":"+999999999-12-31T23:59:59Z"} ; expiresAt
					idempotency key with a lone surrogate ; {"type":"a","recipients":{"all":true},"template":"t","idempotencyKey":"a\\ud800"} ; idempotencyKey
					title with NUL ; {"type":"a","recipients":{"all":true},"content":{"title":"a\\u0000b","body":"y"}} ; content.title
					body with a lone surrogate ; {"type":"a","recipients":{"all":true},"content":{"title":"x","body":"\\udc00"}} ; content.body
					data string with a lone surrogate ; {"type":"a","recipients":{"all":true},"template":"t","data":{"k":["\\ud800x"]}} ; data.k[0]
					data key with a lone surrogate ; {"type":"a","recipients":{"all":true},"template":"t","data":{"\\ud800":1}} ; data
					data number beyond a double ; {"type":"a","recipients":{"all":true},"template":"t","data":{"n":1e999999}} ; data.n
					data integer beyond a double ; {"type":"a","recipients":{"all":true},"template":"t","data":{"n":1%s}} ; data.n
					expiresAt before sendAt ; {"type":"a","recipients":{"all":true},"template":"t","sendAt":"2026-11-23T00:00:00Z","expiresAt":"2026-11-22T18:00:00Z"} ; expiresAt
					""")
	void namesTheOffendingField(String scenario, String json, String field) {
		String body = json.contains("1%s") ? json.formatted("0".repeat(400)) : json.formatted("x".repeat(101));
		assertThat(problems(body)).extracting(FieldProblem::field).contains(field);
	}

	@Test
	void listsEveryOffendingField() {
		assertThat(problems("{\"type\":\"A\",\"recipients\":{},\"priority\":\"x\",\"channels\":[\"fax\"]}"))
			.extracting(FieldProblem::field)
			.containsExactlyInAnyOrder("type", "recipients", "priority", "channels[0]", "content");
	}

	@Test
	void rejectsTooManyRecipients() {
		String users = "\"u\",".repeat(10_001);
		assertThat(problems("{\"type\":\"a\",\"recipients\":{\"users\":[" + users.substring(0, users.length() - 1)
				+ "]},\"template\":\"t\"}"))
			.extracting(FieldProblem::field)
			.containsExactly("recipients.users");
	}

	@Test
	void listsAtMostTenBadUsers() {
		String users = "\"a|b\",".repeat(50);
		assertThat(problems("{\"type\":\"a\",\"recipients\":{\"users\":[" + users.substring(0, users.length() - 1)
				+ "]},\"template\":\"t\"}"))
			.hasSize(10);
	}

	@Test
	void rejectsDataOver16KiB() {
		String big = "x".repeat(17 * 1024);
		assertThat(problems(
				"{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":{\"k\":\"" + big + "\"}}"))
			.singleElement()
			.satisfies((problem) -> {
				assertThat(problem.field()).isEqualTo("data");
				assertThat(problem.message()).contains("16384");
			});
	}

	@Test
	void rejectsDataNestedDeeperThanTheLimitNamingTheLimit() {
		String deep = "{\"a\":".repeat(EventValidator.MAX_DATA_DEPTH + 1) + "1"
				+ "}".repeat(EventValidator.MAX_DATA_DEPTH + 1);
		assertThat(problems("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":" + deep + "}"))
			.singleElement()
			.satisfies((problem) -> {
				assertThat(problem.field()).isEqualTo("data");
				assertThat(problem.message()).contains(Integer.toString(EventValidator.MAX_DATA_DEPTH));
			});
	}

	@Test
	void acceptsDataNestedAsDeepAsTheLimit() {
		String deep = "{\"a\":".repeat(EventValidator.MAX_DATA_DEPTH - 1) + "[1.5e300, -2, \"\\ud83d\\ude00\"]"
				+ "}".repeat(EventValidator.MAX_DATA_DEPTH - 1);
		assertThat(
				valid("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\",\"data\":" + deep + "}").data())
			.containsKey("a");
	}

	@Test
	void rejectsAnUnknownTemplateNamingTheField() {
		assertThat(problems("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"no-such\"}"))
			.containsExactly(new FieldProblem("template", "no template 'no-such' is defined"));
	}

	@Test
	void rejectsAListedChannelTheTemplateDoesNotRender() {
		assertThat(problems("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"app-only\","
				+ "\"channels\":[\"push\",\"sms\"]}"))
			.containsExactly(
					new FieldProblem("channels[1]", "template 'app-only' does not render sms; it renders inapp, push"));
	}

	@Test
	void acceptsATemplateForTheChannelsItRenders() {
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"app-only\","
				+ "\"channels\":[\"inapp\"]}")
			.template()).isEqualTo("app-only");
		assertThat(valid("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"app-only\"}").template())
			.isEqualTo("app-only");
	}

	@Test
	void asksToRetryATemplatedEventWhileTheCatalogIsLoading() {
		EventValidator loading = validator((tenant, id) -> new TemplateCatalog.Lookup.NotLoaded());
		assertThat(loading.validate("acme",
				JsonCodec.MAPPER.readTree("{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\"}")))
			.isInstanceOf(EventValidator.Result.Unavailable.class);
	}

	@Test
	void reportsBadFieldsOfATemplatedEventWhileTheCatalogIsLoading() {
		EventValidator loading = validator((tenant, id) -> new TemplateCatalog.Lookup.NotLoaded());
		assertThat(loading.validate("acme",
				JsonCodec.MAPPER.readTree("{\"type\":\"A\",\"recipients\":{\"all\":true},\"template\":\"t\"}")))
			.isInstanceOf(EventValidator.Result.Invalid.class);
	}

	@Test
	void acceptsAnEventWithContentWhileTheCatalogIsLoading() {
		EventValidator loading = validator((tenant, id) -> new TemplateCatalog.Lookup.NotLoaded());
		assertThat(loading.validate("acme",
				JsonCodec.MAPPER.readTree(
						"{\"type\":\"a\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"x\",\"body\":\"y\"}}")))
			.isInstanceOf(EventValidator.Result.Valid.class);
	}

	@Test
	void looksTemplatesUpForTheEventsTenant() {
		EventValidator perTenant = validator(
				(tenant, id) -> "acme".equals(tenant) ? new TemplateCatalog.Lookup.Defined(EnumSet.allOf(Channel.class))
						: new TemplateCatalog.Lookup.Undefined());
		String event = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"own\"}";
		assertThat(perTenant.validate("acme", JsonCodec.MAPPER.readTree(event)))
			.isInstanceOf(EventValidator.Result.Valid.class);
		assertThat(perTenant.validate("globex", JsonCodec.MAPPER.readTree(event)))
			.isInstanceOf(EventValidator.Result.Invalid.class);
	}

	@Test
	void bringsTheCatalogUpToDateOncePerRequestAndStampsTemplatedEventsWithItsPosition() {
		AtomicInteger syncs = new AtomicInteger();
		EventValidator synced = validator(new TemplateCatalog() {

			@Override
			public TemplateCatalog.Lookup lookup(String tenant, String templateId) {
				return TEMPLATES.lookup(tenant, templateId);
			}

			@Override
			public Long sync() {
				return 40L + syncs.incrementAndGet();
			}

		});
		EventValidator.CatalogView catalog = synced.catalogView();
		String templated = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"template\":\"t\"}";
		String literal = "{\"type\":\"a\",\"recipients\":{\"all\":true},\"content\":{\"title\":\"x\",\"body\":\"y\"}}";
		EventValidator.Result content = synced.validate("acme", JsonCodec.MAPPER.readTree(literal), catalog);
		assertThat(((EventValidator.Result.Valid) content).draft().catalogOffset()).isNull();
		assertThat(syncs).hasValue(0);
		for (int i = 0; i < 3; i++) {
			EventValidator.Result result = synced.validate("acme", JsonCodec.MAPPER.readTree(templated), catalog);
			assertThat(((EventValidator.Result.Valid) result).draft().catalogOffset()).isEqualTo(41L);
		}
		assertThat(syncs).hasValue(1);
		assertThat(synced.validate("acme", JsonCodec.MAPPER.readTree(templated)))
			.isInstanceOf(EventValidator.Result.Valid.class);
		assertThat(syncs).as("a new request syncs again").hasValue(2);
	}

	private static EventValidator validator(TemplateCatalog templates) {
		return new EventValidator(new IngestionProperties(DataSize.ofKilobytes(64), DataSize.ofMegabytes(4), 500,
				10_000, DataSize.ofKilobytes(16), Duration.ofDays(366), Duration.ofSeconds(6), Duration.ofSeconds(5),
				Duration.ofHours(24), 0, Duration.ofSeconds(1)), Clock.fixed(NOW, ZoneOffset.UTC), templates);
	}

	private EventDraft valid(String json) {
		EventValidator.Result result = this.validator.validate("acme", JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(EventValidator.Result.Valid.class);
		return ((EventValidator.Result.Valid) result).draft();
	}

	private List<FieldProblem> problems(String json) {
		EventValidator.Result result = this.validator.validate("acme", JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(EventValidator.Result.Invalid.class);
		return ((EventValidator.Result.Invalid) result).problems();
	}

}
