package io.herald.routing.template.api;

import io.herald.events.ChannelMessage;
import io.herald.events.DeliveryState;
import io.herald.events.JsonCodec;
import io.herald.events.Priority;
import io.herald.infra.RawHttp;
import io.herald.infra.SharedInfra;
import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.EventProbe;
import io.herald.routing.RoutingTestSupport.Response;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template API end to end, over HTTP, against a real broker and both real routing
 * applications: writes, versions, previews, limits and tenant isolation, and events sent
 * right after a write's answer rendering with what it wrote. Template ids are unique per
 * test, but for the shadowing of the shared {@code welcome}, which one test creates and
 * deletes.
 */
class TemplateApiIntegrationTests extends RoutingApiIntegrationTest {

	private static final int MAX_PER_TENANT = 25;

	private static final int MAX_VERSIONS = 3;

	private static EventProbe probe;

	@Autowired
	MeterRegistry meters;

	private Api globex;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("herald.routing.templates.max-per-tenant", () -> MAX_PER_TENANT);
		registry.add("herald.routing.templates.max-versions", () -> MAX_VERSIONS);
		// A write answers 202 when its version is not in force within the write timeout;
		// these tests read what a write put in force, so a slow machine gets the time it
		// needs.
		registry.add("herald.routing.templates.write-timeout", () -> "60s");
	}

	@BeforeEach
	void globexAndProbe() {
		this.globex = api(RoutingTestSupport.GLOBEX_KEY);
		if (probe == null) {
			probe = new EventProbe(SharedInfra.kafka().bootstrapServers());
		}
	}

	@AfterAll
	static void closeProbe() {
		if (probe != null) {
			probe.close();
		}
	}

	@Test
	void aTemplateIsCreatedVersionedReadAndDeleted() {
		String id = newId();
		Response created = this.acme.put("/v1/templates/" + id, template("Hi {{name}}", "Welcome"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("ETag")).isEqualTo("\"1\"");
		assertThat(created.header("Location")).isEqualTo("/v1/templates/" + id);
		assertThat(created.json().get("version").longValue()).isEqualTo(1);
		assertThat(created.json().get("source").stringValue()).isEqualTo("tenant");
		assertThat(created.json().get("locales")).isEqualTo(json(
				"{\"default\": {\"title\": \"Hi {{name}}\", \"body\": \"Welcome\"}, \"de\": {\"title\": \"Hallo {{name}}\"}}"));

		Response updated = this.acme.put("/v1/templates/" + id, template("Hello {{name}}", "Welcome"));
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.header("ETag")).isEqualTo("\"2\"");
		Response unchanged = this.acme.put("/v1/templates/" + id, template("Hello {{name}}", "Welcome"));
		assertThat(unchanged.status()).isEqualTo(200);
		assertThat(unchanged.header("ETag")).as("the same texts make no version").isEqualTo("\"2\"");

		Response read = this.acme.get("/v1/templates/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("ETag")).isEqualTo("\"2\"");
		assertThat(read.json().get("locales").get("default").get("title").stringValue()).isEqualTo("Hello {{name}}");
		Response notModified = this.acme
			.send(this.acme.request("/v1/templates/" + id).header("If-None-Match", "\"2\""));
		assertThat(notModified.status()).isEqualTo(304);

		Response versions = this.acme.get("/v1/templates/" + id + "/versions");
		assertThat(versions.status()).as(versions.toString()).isEqualTo(200);
		assertThat(versions.json().get("versions").findValues("version")).extracting(JsonNode::longValue)
			.containsExactly(2L, 1L);
		Response first = this.acme.get("/v1/templates/" + id + "/versions/1");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("ETag")).isEqualTo("\"1\"");
		assertThat(first.json().get("locales").get("default").get("title").stringValue()).isEqualTo("Hi {{name}}");

		assertThat(this.acme.delete("/v1/templates/" + id).status()).isEqualTo(204);
		assertThat(this.acme.get("/v1/templates/" + id).status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/templates/" + id + "/versions/1").status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/templates/" + id + "/versions").status()).isEqualTo(404);
		assertThat(this.acme.delete("/v1/templates/" + id).status()).isEqualTo(404);

		Response again = this.acme.put("/v1/templates/" + id, template("Back", "Welcome"));
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("ETag")).as("a version number is never reused").isEqualTo("\"3\"");
	}

	@Test
	void onlyTheNewestVersionsAreKept() {
		String id = newId();
		for (int i = 1; i <= MAX_VERSIONS + 2; i++) {
			assertThat(this.acme.put("/v1/templates/" + id, template("v" + i, "b")).status()).isLessThan(300);
		}
		assertThat(this.acme.get("/v1/templates/" + id + "/versions").json().get("versions").findValues("version"))
			.extracting(JsonNode::longValue)
			.containsExactly(5L, 4L, 3L);
		assertThat(this.acme.get("/v1/templates/" + id + "/versions/2").status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/templates/" + id + "/versions/3").status()).isEqualTo(200);
	}

	/**
	 * Each event is sent the moment the write that precedes it was answered, with no wait
	 * in between, alternately high (routed by the main application) and critical (by the
	 * critical one).
	 */
	@Test
	void anEventSentAfterAWriteWasAnsweredRendersWithWhatItWrote() {
		String id = newId();
		String user = "u-" + UUID.randomUUID();
		for (int i = 1; i <= 8; i++) {
			Response written = this.acme.put("/v1/templates/" + id, template("v" + i + " for {{name}}", "b"));
			assertThat(written.status()).as(written.toString()).isIn(200, 201);
			Priority priority = (i % 2 == 0) ? Priority.CRITICAL : Priority.HIGH;
			String eventId = probe.send("acme", user, id, Map.of("name", "Ada"), priority);
			assertThat(((ChannelMessage.InApp) probe.delivery(eventId).message()).title()).as("version %d", i)
				.isEqualTo("v" + i + " for Ada");
		}
		assertThat(this.acme.delete("/v1/templates/" + id).status()).isEqualTo(204);
		String afterDeletion = probe.send("acme", user, id, Map.of(), Priority.HIGH);
		assertThat(probe.status(afterDeletion).state()).isEqualTo(DeliveryState.SUPPRESSED);
		assertThat(probe.status(afterDeletion).reason()).isEqualTo("unknown_template");
	}

	@Test
	void aTenantsTemplateShadowsTheSharedOneForThatTenantAlone() {
		String user = "u-" + UUID.randomUUID();
		Map<String, @Nullable Object> data = Map.of("customer", Map.of("name", "Ada"));
		Response own = this.acme.put("/v1/templates/welcome", template("Acme welcomes {{customer.name}}", "Hi"));
		assertThat(own.status()).as(own.toString()).isIn(200, 201);
		try {
			String acmeEvent = probe.send("acme", user, "welcome", data, Priority.HIGH);
			String globexEvent = probe.send("globex", user, "welcome", data, Priority.HIGH);
			assertThat(((ChannelMessage.InApp) probe.delivery(acmeEvent).message()).title())
				.isEqualTo("Acme welcomes Ada");
			assertThat(((ChannelMessage.InApp) probe.delivery(globexEvent).message()).title())
				.isEqualTo("Welcome, Ada");
			assertThat(this.acme.get("/v1/templates/welcome").json().get("source").stringValue()).isEqualTo("tenant");
			assertThat(this.globex.get("/v1/templates/welcome").json().get("source").stringValue()).isEqualTo("shared");
			assertThat(this.globex.delete("/v1/templates/welcome").status()).as("a shared template is not deleted")
				.isEqualTo(404);
		}
		finally {
			assertThat(this.acme.delete("/v1/templates/welcome").status()).isEqualTo(204);
		}
		assertThat(this.acme.get("/v1/templates/welcome").json().get("source").stringValue()).isEqualTo("shared");
	}

	@Test
	void anotherTenantNeverSeesChangesOrUsesATemplate() {
		String id = newId();
		assertThat(this.acme.put("/v1/templates/" + id, template("Acme", "secret")).status()).isEqualTo(201);
		assertThat(this.globex.get("/v1/templates/" + id).status()).isEqualTo(404);
		assertThat(this.globex.get("/v1/templates/" + id + "/versions").status()).isEqualTo(404);
		assertThat(this.globex.get("/v1/templates/" + id + "/versions/1").status()).isEqualTo(404);
		assertThat(this.globex.post("/v1/templates/" + id + "/preview", "{}").status()).isEqualTo(404);
		assertThat(this.globex.delete("/v1/templates/" + id).status()).isEqualTo(404);
		assertThat(this.globex.get("/v1/templates").json().get("templates").findValuesAsString("id"))
			.doesNotContain(id);
		assertThat(this.acme.get("/v1/templates").json().get("templates").findValuesAsString("id")).contains(id,
				"welcome", "order-shipped");
		Response globexOwn = this.globex.put("/v1/templates/" + id, template("Globex", "own"));
		assertThat(globexOwn.status()).as("the same id is another template of another tenant").isEqualTo(201);
		assertThat(this.acme.get("/v1/templates/" + id).json().get("locales").get("default").get("title").stringValue())
			.isEqualTo("Acme");
		String user = "u-" + UUID.randomUUID();
		String event = probe.send("globex", user, id, Map.of(), Priority.HIGH);
		assertThat(((ChannelMessage.InApp) probe.delivery(event).message()).title()).isEqualTo("Globex");
	}

	@Test
	void aWriteIsAppliedOnlyToTheVersionIfMatchNames() {
		String id = newId();
		Response created = send(put(id, template("v1", "b")).header("If-None-Match", "*"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		Response exists = send(put(id, template("v2", "b")).header("If-None-Match", "*"));
		assertThat(exists.status()).isEqualTo(412);
		assertThat(exists.json().get("code").stringValue()).isEqualTo("precondition_failed");
		assertThat(exists.header("ETag")).isEqualTo("\"1\"");
		assertThat(send(put(id, template("v2", "b")).header("If-Match", "\"1\"")).status()).isEqualTo(200);
		Response stale = send(put(id, template("v3", "b")).header("If-Match", "\"1\""));
		assertThat(stale.status()).isEqualTo(412);
		assertThat(stale.header("ETag")).isEqualTo("\"2\"");
		assertThat(send(put(id, template("v3", "b")).header("If-Match", "W/\"2\"")).status()).isEqualTo(412);
		Response staleDelete = this.acme
			.send(this.acme.request("/v1/templates/" + id).header("If-Match", "\"1\"").DELETE());
		assertThat(staleDelete.status()).isEqualTo(412);
		assertThat(send(put(newId(), template("x", "b")).header("If-Match", "*")).status()).as("If-Match never creates")
			.isEqualTo(412);
		assertThat(send(put(id, template("v3", "b")).header("If-Match", "\"1\", \"2\"")).status()).isEqualTo(200);
		assertThat(this.acme.get("/v1/templates/" + id).header("ETag")).isEqualTo("\"3\"");
	}

	@Test
	void ofConcurrentWritesWithTheSameIfMatchExactlyOneSucceeds() throws Exception {
		String id = newId();
		String tag = this.acme.put("/v1/templates/" + id, template("v1", "b")).header("ETag");
		int writers = 6;
		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
			List<Future<Response>> answers = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String body = template("writer " + i, "b");
				answers.add(pool.submit(() -> send(put(id, body).header("If-Match", tag))));
			}
			for (Future<Response> answer : answers) {
				statuses.add(answer.get().status());
			}
		}
		assertThat(statuses).containsOnly(200, 412);
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(1);
		assertThat(this.acme.get("/v1/templates/" + id).header("ETag")).isEqualTo("\"2\"");
	}

	@Test
	void aTenantMayHaveOnlySoManyTemplates() {
		List<String> created = new ArrayList<>();
		try {
			Response refused = null;
			for (int i = 0; i <= MAX_PER_TENANT && refused == null; i++) {
				String id = newId();
				Response response = this.globex.put("/v1/templates/" + id, template("t", "b"));
				if (response.status() == 409) {
					refused = response;
				}
				else {
					assertThat(response.status()).as(response.toString()).isEqualTo(201);
					created.add(id);
				}
			}
			assertThat(refused).as("a template beyond the limit").isNotNull();
			assertThat(refused.json().get("code").stringValue()).isEqualTo("too_many_templates");
			long own = countOwn(this.globex);
			assertThat(own).isEqualTo(MAX_PER_TENANT);
			assertThat(this.globex.put("/v1/templates/" + created.get(0), template("changed", "b")).status())
				.as("a new version of an existing template is not one more")
				.isEqualTo(200);
		}
		finally {
			created.forEach((id) -> this.globex.delete("/v1/templates/" + id));
		}
	}

	@Test
	void aTemplateWithProblemsIsRefusedNamingFieldAndLine() {
		String id = newId();
		Response mustache = this.acme.put("/v1/templates/" + id, """
				{"locales": {"default": {"title": "Hi", "body": "Hello\\n{{#items}}\\n- {{name}}\\n{{/item}}"}}}""");
		assertProblem(mustache, 400, "invalid_request");
		JsonNode error = mustache.json().get("errors").get(0);
		assertThat(error.get("field").stringValue()).isEqualTo("locales.default.body");
		assertThat(error.get("line").intValue()).isEqualTo(4);
		assertThat(error.get("message").stringValue()).startsWith("invalid Mustache");

		Response unknown = this.acme.put("/v1/templates/" + id, """
				{
				  "locales": {
				    "default": {"title": "Hi", "body": "Hello",
				                "titel": "typo", "fax": {"body": "x"}},
				    "de": {"sms": {"html": "<b>no</b>"}, "body": 7}
				  }
				}""");
		assertProblem(unknown, 400, "invalid_request");
		assertThat(unknown.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder(
				"locales.default.titel", "locales.default.fax", "locales.de.sms.html", "locales.de.body");
		JsonNode typo = unknown.json().get("errors").get(0);
		assertThat(typo.get("line").intValue()).isEqualTo(4);
		assertThat(typo.get("column").intValue()).isEqualTo(17);

		assertFields(this.acme.put("/v1/templates/" + id, "{\"locales\": {\"de\": {\"title\": \"Hallo\"}}}"),
				"locales");
		assertFields(this.acme.put("/v1/templates/" + id, "{\"locales\": {\"default\": {\"title\": \"Hi\"}}}"),
				"locales.default.body");
		assertFields(this.acme.put("/v1/templates/" + id,
				"{\"locales\": {\"default\": {\"title\": \"a\", \"body\": \"b\"}, \"x y\": {}, \"de\": {}, \"DE\": {}}}"),
				"locales.x y", "locales.DE");
		Response twice = this.acme.put("/v1/templates/" + id,
				"{\"locales\": {\"default\": {\"title\": \"a\", \"body\": \"b\", \"title\": \"c\"}}}");
		assertProblem(twice, 400, "malformed_json");
		assertThat(twice.json().get("detail").stringValue()).contains("title").contains("line 1");
		assertFields(this.acme.put("/v1/templates/" + id, "{\"locale\": {}}"), "locale");
		assertFields(this.acme.put("/v1/templates/" + id, "[]"), "");
		assertProblem(this.acme.put("/v1/templates/" + id, "{\"locales\": "), 400, "malformed_json");
		assertProblem(this.acme.put("/v1/templates/" + id, ""), 400, "malformed_json");
		assertProblem(this.acme.put("/v1/templates/" + id, "{} {}"), 400, "malformed_json");
		assertProblem(this.acme.put("/v1/templates/Not%20An%20Id", template("a", "b")), 400, "invalid_request");
		assertThat(this.acme.get("/v1/templates/" + id).status()).as("nothing was written").isEqualTo(404);
	}

	@Test
	void hostileTemplatesAreRefusedAndHarmNothing() {
		String id = newId();
		for (String body : List.of("{{> /etc/passwd}}", "{{< layout}}{{/layout}}", "{{=<% %>=}}<%> x%>",
				"{{#a}}".repeat(5_000) + "{{/a}}".repeat(5_000), "{{$block}}x{{/block}}", "{{name")) {
			Response response = this.acme.put("/v1/templates/" + id,
					"{\"locales\": {\"default\": {\"title\": \"t\", \"body\": "
							+ JsonCodec.MAPPER.writeValueAsString(body) + "}}}");
			assertProblem(response, 400, "invalid_request");
			assertThat(response.json().get("errors").get(0).get("field").stringValue())
				.isEqualTo("locales.default.body");
		}
		String deep = "{\"locales\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
		assertProblem(this.acme.put("/v1/templates/" + id, deep), 400, "malformed_json");
		String huge = template("t", "x".repeat(200 * 1024));
		assertProblem(this.acme.put("/v1/templates/" + id, huge), 413, "payload_too_large");
		assertProblem(
				this.acme.put("/v1/templates/" + id,
						"{\"locales\": {\"default\": {\"title\": \"a\\u0000\", \"body\": \"b\"}}}"),
				400, "invalid_request");
		assertThat(this.acme.get("/v1/templates/" + id).status()).isEqualTo(404);

		// Reflection is not a lookup, and a list that multiplies is stopped.
		Response preview = this.acme.post("/v1/templates:preview", """
				{"template": {"locales": {"default": {"title": "{{name.class}}{{name.bytes}}", "body": "{{name}}"}}},
				 "data": {"name": "Ada"}, "channels": ["push"]}""");
		assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
		assertThat(preview.json().get("channels").get("push").get("title").stringValue()).isEmpty();
		String list = "[" + String.join(",", Collections.nCopies(1_000, "1")) + "]";
		Response blowUp = this.acme.post("/v1/templates:preview", "{\"template\": {\"locales\": {\"default\": "
				+ "{\"title\": \"t\", \"body\": \"{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}\"}}}, \"data\": {\"l\": " + list
				+ "}, \"channels\": [\"inapp\"]}");
		assertProblem(blowUp, 422, "render_failed");
		assertThat(blowUp.json().get("errors").get(0).get("field").stringValue()).isEqualTo("channels.inapp");
	}

	@Test
	void noPathReachesAnotherTenantsTemplateOrAKeyOfItsOwnMaking() {
		Map<String, String> key = Map.of("Authorization", "Bearer " + RoutingTestSupport.GLOBEX_KEY, "Content-Type",
				"application/json");
		String id = newId();
		assertThat(this.acme.put("/v1/templates/" + id, template("secret", "b")).status()).isEqualTo(201);
		for (String target : List.of("/v1/templates/acme%7C" + id, "/v1/templates/%2E%2E", "/v1/templates/a%2Fb",
				"/v1/templates/" + id + "%00", "/v1/templates/" + "x".repeat(101),
				"/v1/templates/" + id + "/versions/-1", "/v1/templates/" + id + "/versions/99999999999999999999",
				"/v1/templates/" + id + ";v=1")) {
			for (String method : List.of("GET", "PUT", "DELETE")) {
				RawHttp.Response response = RawHttp.send(this.port, method, target, key,
						template("stolen", "b").getBytes(StandardCharsets.UTF_8));
				assertThat(response.status()).as(method + " " + target).isIn(400, 404, 405);
				assertThat(response.header("Content-Type")).as(target).startsWith("application/problem+json");
			}
		}
		assertThat(this.acme.get("/v1/templates/" + id).json().get("locales").get("default").get("title").stringValue())
			.isEqualTo("secret");
		assertThat(this.globex.get("/v1/templates/" + id).status()).isEqualTo(404);
	}

	@Test
	void previewsRenderWhatEachChannelWouldShow() {
		String id = newId();
		this.acme.put("/v1/templates/" + id, """
				{"locales": {
				  "default": {"title": "Order {{orderId}}", "body": "Hi {{customer.name}}",
				              "html": "<p>{{customer.name}}</p>", "sms": {"body": "SMS {{orderId}}"}},
				  "de": {"title": "Bestellung {{orderId}}"}}}""");
		this.acme.put("/v1/templates/" + id, """
				{"locales": {"default": {"title": "Second {{orderId}}", "body": "b"}}}""");
		String data = "\"data\": {\"orderId\": \"981\", \"customer\": {\"name\": \"<Ada>\"}}";

		Response latest = this.acme.post("/v1/templates/" + id + "/preview", "{" + data + ", \"locale\": \"de-DE\"}");
		assertThat(latest.status()).as(latest.toString()).isEqualTo(200);
		assertThat(latest.json().get("version").longValue()).isEqualTo(2);
		assertThat(latest.json().get("channels").get("inapp").get("title").stringValue()).isEqualTo("Second 981");

		Response first = this.acme.post("/v1/templates/" + id + "/preview",
				"{" + data + ", \"locale\": \"de-DE\", \"version\": 1, \"channels\": [\"email\", \"sms\"]}");
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().get("channels")).isEqualTo(json("""
				{"email": {"title": "Bestellung 981", "body": "Hi <Ada>", "html": "<p>&lt;Ada&gt;</p>"},
				 "sms": {"body": "SMS 981"}}"""));

		Response shared = this.globex.post("/v1/templates/order-shipped/preview", "{" + data + "}");
		assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
		assertThat(shared.json().get("source").stringValue()).isEqualTo("shared");
		assertThat(shared.json().get("channels").get("push").get("title").stringValue())
			.isEqualTo("Your order 981 has shipped");

		Response unsaved = this.acme.post("/v1/templates:preview",
				"{\"template\": {\"locales\": {\"default\": {\"title\": \"Draft {{orderId}}\", \"body\": \"b\"}}}, "
						+ data + ", \"channels\": [\"push\"]}");
		assertThat(unsaved.status()).as(unsaved.toString()).isEqualTo(200);
		assertThat(unsaved.json().get("channels"))
			.isEqualTo(json("{\"push\": {\"title\": \"Draft 981\", \"body\": \"b\"}}"));

		Response broken = this.acme.post("/v1/templates:preview",
				"{\"template\": {\"locales\": {\"default\": {\"title\": \"{{#open}}\", \"body\": \"b\"}}}}");
		assertProblem(broken, 400, "invalid_request");
		assertThat(broken.json().get("errors").get(0).get("field").stringValue())
			.isEqualTo("template.locales.default.title");
		assertFields(this.acme.post("/v1/templates:preview", "{\"data\": {}}"), "template");
		assertFields(this.acme.post("/v1/templates/" + id + "/preview",
				"{\"data\": [], \"locale\": \"not a locale\", \"channels\": [\"fax\"], \"version\": 0, \"x\": 1}"),
				"data", "locale", "channels[0]", "version", "x");
		assertThat(this.acme.post("/v1/templates/" + id + "/preview", "{\"version\": 9}").status()).isEqualTo(404);
		assertThat(this.acme.post("/v1/templates/" + newId() + "/preview", "{}").status()).isEqualTo(404);
	}

	@Test
	void readsAndWritesNeedTheirScopes() {
		String id = newId();
		Api reader = api(RoutingTestSupport.ACME_TEMPLATE_READER_KEY);
		Api usersOnly = api(RoutingTestSupport.ACME_READER_KEY);
		Api anonymous = api(null);
		assertProblem(reader.put("/v1/templates/" + id, template("a", "b")), 403, "forbidden");
		assertProblem(usersOnly.get("/v1/templates"), 403, "forbidden");
		assertProblem(anonymous.get("/v1/templates"), 401, "unauthorized");
		assertProblem(anonymous.put("/v1/templates/" + id, template("a", "b")), 401, "unauthorized");
		assertThat(this.acme.put("/v1/templates/" + id, template("a", "b")).status()).isEqualTo(201);
		assertThat(reader.get("/v1/templates/" + id).status()).isEqualTo(200);
		assertThat(reader.post("/v1/templates/" + id + "/preview", "{}").status()).isEqualTo(200);
		assertProblem(reader.delete("/v1/templates/" + id), 403, "forbidden");
	}

	@Test
	void writesAndRendersAreCounted() {
		String id = newId();
		double before = count("herald.routing.template.writes", "outcome", "created");
		this.acme.put("/v1/templates/" + id, template("a", "b"));
		this.acme.put("/v1/templates/" + id, "{}");
		this.acme.post("/v1/templates/" + id + "/preview", "{}");
		assertThat(count("herald.routing.template.writes", "outcome", "created")).isEqualTo(before + 1);
		assertThat(count("herald.routing.template.writes", "outcome", "invalid")).isPositive();
		assertThat(count("herald.routing.template.renders", "outcome", "rendered")).isPositive();
		assertThat(this.meters.find("herald.routing.template.write.duration").timer()).isNotNull();
	}

	private double count(String name, String tag, String value) {
		return this.meters.find(name).tag(tag, value).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private long countOwn(Api api) {
		List<String> sources = api.get("/v1/templates").json().get("templates").findValuesAsString("source");
		return sources.stream().filter("tenant"::equals).count();
	}

	private HttpRequest.Builder put(String id, String body) {
		return this.acme.request("/v1/templates/" + id)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body));
	}

	private Response send(HttpRequest.Builder request) {
		return this.acme.send(request);
	}

	private static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("code").stringValue()).isEqualTo(code);
	}

	private static void assertFields(Response response, String... fields) {
		assertProblem(response, 400, "invalid_request");
		assertThat(response.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder(fields);
	}

	/** A template with a default title and body, and a German title. */
	private static String template(String title, String body) {
		return "{\"locales\": {\"default\": {\"title\": " + JsonCodec.MAPPER.writeValueAsString(title) + ", \"body\": "
				+ JsonCodec.MAPPER.writeValueAsString(body) + "}, \"de\": {\"title\": "
				+ JsonCodec.MAPPER.writeValueAsString(title.replace("Hi", "Hallo")) + "}}}";
	}

	private static JsonNode json(String json) {
		return JsonCodec.MAPPER.readTree(json);
	}

	private static String newId() {
		return "t-" + UUID.randomUUID();
	}

}
