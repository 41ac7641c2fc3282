package io.herald.routing.user;

import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import io.herald.infra.contract.OpenApiDocument;
import io.herald.infra.contract.ServedOperations;
import io.herald.support.unsubscribe.UnsubscribeLink;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.unsubscribe.UnsubscribeProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user API against its OpenAPI document ({@code /v1/openapi.json}): every handler is
 * documented and every documented operation has one, every answer of a real request has a
 * documented status, schema, problem code and headers, and every documented answer and
 * problem code is produced here, but for the few named in {@link #NOT_PRODUCED_HERE}.
 */
class UserApiDocumentIntegrationTests extends RoutingApiIntegrationTest {

	/**
	 * Documented answers this test does not produce, and why: a write's {@code 503} needs
	 * the broker down ({@code UserCommandLogOutageIntegrationTests}); a removal's
	 * {@code 202} needs the read model to stall between the check that the device or
	 * subscription exists and the write.
	 */
	private static final Set<String> NOT_PRODUCED_HERE = Set.of(
			"putProfile 503 (the command log is down: UserCommandLogOutageIntegrationTests)",
			"patchProfile 503 (as putProfile)", "eraseUser 503 (as putProfile)", "putPreferences 503 (as putProfile)",
			"registerDevice 503 (as putProfile)", "subscribe 503 (as putProfile)",
			"removeDevice 202 (the read model stalls after the device was found)", "unsubscribe 202 (as removeDevice)",
			"suppressAddress 202 (as removeDevice, after the user was read)", "liftSuppression 202 (as removeDevice)",
			"putTemplate 503 (as putProfile)", "deleteTemplate 503 (as putProfile)",
			"putDigest 503 (the settings topic is down: as putProfile)", "deleteDigest 503 (as putDigest)",
			"putDigest 409 (a tenant's 101st pattern: DigestApiIntegrationTests)");

	private static final String TEMPLATE = "{\"locales\": {\"default\": {\"title\": \"Hi {{name}}\", \"body\": \"b\", "
			+ "\"html\": \"<p>{{name}}</p>\", \"sms\": {\"body\": \"s\"}}, \"de\": {\"title\": \"Hallo\"}}}";

	private static final String HUGE_TEMPLATE = "{\"locales\": {\"default\": {\"title\": \"t\", \"body\": \""
			+ "x".repeat(130 * 1024) + "\"}}}";

	private static final String PROFILE = "{\"email\": \"ada@example.com\", \"timezone\": \"Europe/Berlin\"}";

	private static final String DEVICE = "{\"platform\": \"ios\", \"token\": \"" + DeviceValidatorTests.APNS_TOKEN
			+ "\", \"appId\": \"com.example.app\"}";

	private static final String PREFERENCES = "{\"channels\": {\"sms\": false}, \"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}";

	/**
	 * A path parameter: not canonical, refused before anything else
	 * ({@code invalid_request_target}).
	 */
	private static final String NOT_CANONICAL = ";v=1";

	private static final String HUGE = "{\"email\": \"" + "a".repeat(70 * 1024) + "@example.com\"}";

	private Api anonymous;

	private Api reader;

	private Api eventsOnly;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		// Writes answer 202 after this long while the read model is stopped.
		registry.add("herald.routing.users.read-your-writes-timeout", () -> "1s");
		// Reads answer 503 after this long while the read model is stopped.
		registry.add("herald.routing.users.query-timeout", () -> "1s");
		registry.add("herald.routing.templates.write-timeout", () -> "1s");
		registry.add("herald.routing.templates.query-timeout", () -> "1s");
		// initech's templates: two at most, so a third is refused.
		registry.add("herald.routing.templates.max-per-tenant", () -> "2");
	}

	@BeforeEach
	void otherKeys() {
		this.anonymous = api(null);
		this.reader = api(RoutingTestSupport.ACME_READER_KEY);
		this.eventsOnly = api(RoutingTestSupport.ACME_EVENTS_KEY);
	}

	@Test
	void theDocumentIsServedWithoutAKeyAndEveryHandlerIsAnOperationOfIt() {
		assertThat(OpenApiDocument.served(this.port).operations()).isEqualTo(ServedOperations.of(this.context));
	}

	@Test
	void everyAnswerIsAsDocumentedAndEveryDocumentedAnswerOccurs() {
		OpenApiDocument document = document();
		String user = newUser();
		String users = "/v1/users/" + user;
		String unknown = "/v1/users/" + newUser();
		String invalid = "/v1/users/a%7Cb";

		check(document, "putProfile", this.acme.put(users, PROFILE), 200);
		String tag = this.acme.get(users).header("ETag");
		check(document, "putProfile", this.acme.put(users, "{\"email\": \"nope\"}"), 400);
		check(document, "putProfile", this.acme.put(users, "{\"email\": "), 400);
		check(document, "putProfile", this.acme.put(users + NOT_CANONICAL, PROFILE), 400);
		check(document, "putProfile", this.anonymous.put(users, PROFILE), 401);
		check(document, "putProfile", this.reader.put(users, PROFILE), 403);
		check(document, "putProfile", send(this.acme, json(users, "PUT", PROFILE).header("Accept", "text/csv")), 406);
		check(document, "putProfile",
				send(this.acme, json(users, "PUT", PROFILE).header("If-Match", "\"aaaaaaaaaaaaaaaa\"")), 412);
		check(document, "putProfile", this.acme.put(users, HUGE), 413);
		check(document, "putProfile", send(this.acme, body(users, "PUT", "text/plain", PROFILE)), 415);

		check(document, "getProfile", this.acme.get(users), 200);
		check(document, "getProfile", send(this.acme, get(users).header("If-None-Match", tag)), 304);
		check(document, "getProfile", this.acme.get(invalid), 400);
		check(document, "getProfile", this.acme.get(users + NOT_CANONICAL), 400);
		check(document, "getProfile", this.anonymous.get(users), 401);
		check(document, "getProfile", this.eventsOnly.get(users), 403);
		check(document, "getProfile", this.acme.get(unknown), 404);
		check(document, "getProfile", send(this.acme, get(users).header("Accept", "text/csv")), 406);

		String patch = "{\"phone\": \"+4915112345678\", \"timezone\": null}";
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)),
				200);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "[]")),
				400);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "{")),
				400);
		check(document, "patchProfile",
				send(this.acme, body(users + NOT_CANONICAL, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 400);
		check(document, "patchProfile",
				send(this.anonymous, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)), 401);
		check(document, "patchProfile", send(this.reader, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch)),
				403);
		check(document, "patchProfile",
				send(this.acme,
						body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch).header("Accept", "text/csv")),
				406);
		check(document, "patchProfile",
				send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, patch).header("If-Match", tag)),
				412);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, HUGE)),
				413);
		check(document, "patchProfile", send(this.acme, body(users, "PATCH", "application/json-patch+json", "[]")),
				415);

		suppressions(document, user);

		String preferences = users + "/preferences";
		writes(document, "putPreferences", "PUT", preferences, PREFERENCES, "{\"channels\": {\"fax\": true}}", 200);
		reads(document, "getPreferences", "/preferences", user);

		String devices = users + "/devices";
		writes(document, "registerDevice", "POST", devices, DEVICE, "{\"platform\": \"fax\"}", 201);
		reads(document, "listDevices", "/devices", user);

		String subscription = "/v1/topics/news/subscribers/" + user;
		check(document, "subscribe", this.acme.put(subscription, ""), 200);
		check(document, "subscribe", this.acme.put("/v1/topics/News/subscribers/" + user, ""), 400);
		check(document, "subscribe", this.acme.put(subscription + NOT_CANONICAL, ""), 400);
		check(document, "subscribe", this.anonymous.put(subscription, ""), 401);
		check(document, "subscribe", this.reader.put(subscription, ""), 403);
		check(document, "subscribe", send(this.acme, json(subscription, "PUT", "").header("Accept", "text/csv")), 406);
		reads(document, "getTopics", "/topics", user);
		check(document, "getSubscription", this.acme.get(subscription), 200);
		check(document, "getSubscription", this.acme.get("/v1/topics/News/subscribers/" + user), 400);
		check(document, "getSubscription", this.acme.get(subscription + NOT_CANONICAL), 400);
		check(document, "getSubscription", this.anonymous.get(subscription), 401);
		check(document, "getSubscription", this.eventsOnly.get(subscription), 403);
		check(document, "getSubscription", this.acme.get("/v1/topics/other/subscribers/" + user), 404);
		check(document, "getSubscription", send(this.acme, get(subscription).header("Accept", "text/csv")), 406);

		removals(document, "removeDevice", devices + "/" + DeviceValidatorTests.APNS_TOKEN, invalid + "/devices/x");
		removals(document, "unsubscribe", subscription, "/v1/topics/News/subscribers/" + user);

		check(document, "eraseUser", this.anonymous.delete(users), 401);
		check(document, "eraseUser", this.reader.delete(users), 403);
		check(document, "eraseUser", this.acme.delete(invalid), 400);
		check(document, "eraseUser", this.acme.delete(users + NOT_CANONICAL), 400);
		check(document, "eraseUser", this.acme.delete(users), 204);

		unsubscribeLinks(document, user);
		templates(document);
		digests(document);
		whileTheReadModelIsStopped(document);

		assertThat(document.problems()).isEmpty();
		assertThat(document.unseen(NOT_PRODUCED_HERE)).as("documented answers no request produced").isEmpty();
	}

	/**
	 * Every documented answer of the suppression list but {@code 202} and {@code 503};
	 * the user has an email address and a phone number.
	 */
	private void suppressions(OpenApiDocument document, String user) {
		String suppressions = "/v1/users/" + user + "/suppressions";
		writes(document, "suppressAddress", "PUT", suppressions + "/email", "{\"reason\": \"complaint\"}",
				"{\"reason\": \"annoyed\"}", 200);
		check(document, "suppressAddress",
				this.acme.put("/v1/users/" + newUser() + "/suppressions/sms", "{\"reason\": \"manual\"}"), 404);
		reads(document, "listSuppressions", "/suppressions", user);
		removals(document, "liftSuppression", suppressions + "/email", suppressions + "/push");
	}

	/**
	 * Every documented answer of the template API but those of
	 * {@link #whileTheReadModelIsStopped}.
	 */
	private void templates(OpenApiDocument document) {
		String id = "t-" + UUID.randomUUID();
		String template = "/v1/templates/" + id;
		Api templateReader = api(RoutingTestSupport.ACME_TEMPLATE_READER_KEY);
		Api initech = api(RoutingTestSupport.INITECH_KEY);
		check(document, "putTemplate", initech.put(template, TEMPLATE), 201);
		check(document, "putTemplate", initech.put(template, TEMPLATE.replace("Hallo", "Servus")), 200);
		check(document, "putTemplate", initech.put(template, "{\"locales\": {\"default\": {\"title\": \"{{#x}}\"}}}"),
				400);
		check(document, "putTemplate", initech.put(template, "{\"locales\": "), 400);
		check(document, "putTemplate", initech.put(template + NOT_CANONICAL, TEMPLATE), 400);
		check(document, "putTemplate", this.anonymous.put(template, TEMPLATE), 401);
		check(document, "putTemplate", templateReader.put(template, TEMPLATE), 403);
		check(document, "putTemplate", send(initech, json(template, "PUT", TEMPLATE).header("Accept", "text/csv")),
				406);
		check(document, "putTemplate", send(initech, json(template, "PUT", TEMPLATE).header("If-Match", "\"9\"")), 412);
		check(document, "putTemplate", initech.put(template, HUGE_TEMPLATE), 413);
		check(document, "putTemplate", send(initech, body(template, "PUT", "text/plain", TEMPLATE)), 415);

		String tag = initech.get(template).header("ETag");
		check(document, "getTemplate", initech.get(template), 200);
		check(document, "getTemplate", initech.get("/v1/templates/order-shipped"), 200);
		check(document, "getTemplate", send(initech, get(template).header("If-None-Match", tag)), 304);
		check(document, "getTemplate", initech.get("/v1/templates/Upper"), 400);
		check(document, "getTemplate", initech.get(template + NOT_CANONICAL), 400);
		check(document, "getTemplate", this.anonymous.get(template), 401);
		check(document, "getTemplate", this.reader.get(template), 403);
		check(document, "getTemplate", initech.get(template + "-none"), 404);
		check(document, "getTemplate", send(initech, get(template).header("Accept", "text/csv")), 406);

		check(document, "listTemplates", initech.get("/v1/templates"), 200);
		check(document, "listTemplates", initech.get("/v1/templates" + NOT_CANONICAL), 400);
		check(document, "listTemplates", this.anonymous.get("/v1/templates"), 401);
		check(document, "listTemplates", this.reader.get("/v1/templates"), 403);
		check(document, "listTemplates", send(initech, get("/v1/templates").header("Accept", "text/csv")), 406);

		String versions = template + "/versions";
		check(document, "listTemplateVersions", initech.get(versions), 200);
		check(document, "listTemplateVersions", initech.get("/v1/templates/Upper/versions"), 400);
		check(document, "listTemplateVersions", initech.get(versions + NOT_CANONICAL), 400);
		check(document, "listTemplateVersions", this.anonymous.get(versions), 401);
		check(document, "listTemplateVersions", this.reader.get(versions), 403);
		check(document, "listTemplateVersions", initech.get(template + "-none/versions"), 404);
		check(document, "listTemplateVersions", send(initech, get(versions).header("Accept", "text/csv")), 406);
		check(document, "getTemplateVersion", initech.get(versions + "/1"), 200);
		check(document, "getTemplateVersion", initech.get(versions + "/0"), 400);
		check(document, "getTemplateVersion", initech.get(versions + "/1" + NOT_CANONICAL), 400);
		check(document, "getTemplateVersion", this.anonymous.get(versions + "/1"), 401);
		check(document, "getTemplateVersion", this.reader.get(versions + "/1"), 403);
		check(document, "getTemplateVersion", initech.get(versions + "/9"), 404);
		check(document, "getTemplateVersion", send(initech, get(versions + "/1").header("Accept", "text/csv")), 406);

		String preview = template + "/preview";
		String data = "{\"data\": {\"name\": \"Ada\"}, \"locale\": \"de-DE\", \"version\": 1}";
		String cubed = "{\"locales\": {\"default\": {\"title\": \"t\", \"body\": \"{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}\"}}}";
		String longList = "\"data\": {\"l\": [" + String.join(",", Collections.nCopies(100, "1")) + "]}";
		check(document, "previewTemplate", initech.post(preview, data), 200);
		check(document, "previewTemplate", initech.post(preview, "{\"locale\": 7}"), 400);
		check(document, "previewTemplate", initech.post(preview, "{\"locale\""), 400);
		check(document, "previewTemplate", initech.post(preview + NOT_CANONICAL, data), 400);
		check(document, "previewTemplate", this.anonymous.post(preview, data), 401);
		check(document, "previewTemplate", this.reader.post(preview, data), 403);
		check(document, "previewTemplate", initech.post(template + "-none/preview", data), 404);
		check(document, "previewTemplate", send(initech, json(preview, "POST", data).header("Accept", "text/csv")),
				406);
		check(document, "previewTemplate", initech.post(preview, HUGE_TEMPLATE), 413);
		check(document, "previewTemplate", send(initech, body(preview, "POST", "text/plain", data)), 415);
		String cubedTemplate = "/v1/templates/cubed-" + id;
		initech.put(cubedTemplate, cubed);
		check(document, "previewTemplate", initech.post(cubedTemplate + "/preview", "{" + longList + "}"), 422);
		check(document, "putTemplate", initech.put("/v1/templates/third-" + id, TEMPLATE), 409);

		String unsaved = "/v1/templates:preview";
		String draft = "{\"template\": " + TEMPLATE
				+ ", \"data\": {\"name\": \"Ada\"}, \"channels\": [\"email\", \"sms\"]}";
		check(document, "previewUnsavedTemplate", initech.post(unsaved, draft), 200);
		check(document, "previewUnsavedTemplate", initech.post(unsaved, "{\"data\": {}}"), 400);
		check(document, "previewUnsavedTemplate", initech.post(unsaved, "{\"template\": ["), 400);
		check(document, "previewUnsavedTemplate", initech.post(unsaved + NOT_CANONICAL, draft), 400);
		check(document, "previewUnsavedTemplate", this.anonymous.post(unsaved, draft), 401);
		check(document, "previewUnsavedTemplate", this.reader.post(unsaved, draft), 403);
		check(document, "previewUnsavedTemplate",
				send(initech, json(unsaved, "POST", draft).header("Accept", "text/csv")), 406);
		check(document, "previewUnsavedTemplate", initech.post(unsaved, HUGE_TEMPLATE), 413);
		check(document, "previewUnsavedTemplate", send(initech, body(unsaved, "POST", "text/plain", draft)), 415);
		check(document, "previewUnsavedTemplate",
				initech.post(unsaved, "{\"template\": " + cubed + ", " + longList + "}"), 422);

		check(document, "deleteTemplate", this.anonymous.delete(template), 401);
		check(document, "deleteTemplate", templateReader.delete(template), 403);
		check(document, "deleteTemplate", initech.delete("/v1/templates/Upper"), 400);
		check(document, "deleteTemplate", initech.delete(template + NOT_CANONICAL), 400);
		check(document, "deleteTemplate", send(initech,
				get(template).header("If-Match", "\"9\"").method("DELETE", HttpRequest.BodyPublishers.noBody())), 412);
		check(document, "deleteTemplate", initech.delete(template), 204);
		check(document, "deleteTemplate", initech.delete(template), 404);
		initech.delete(cubedTemplate);
	}

	/**
	 * Every documented answer of the digest settings but {@code 503}; initech's patterns
	 * are this test's alone, and at most three.
	 */
	private void digests(OpenApiDocument document) {
		String pattern = "doc-" + UUID.randomUUID().toString().substring(0, 8) + ".*";
		String digest = "/v1/digests/" + pattern;
		String valid = "{\"window\": \"PT1H\"}";
		Api templateReader = api(RoutingTestSupport.ACME_TEMPLATE_READER_KEY);
		Api initech = api(RoutingTestSupport.INITECH_KEY);
		check(document, "putDigest", send(initech, json(digest, "PUT", valid)), 200);
		check(document, "putDigest", send(initech, json(digest, "PUT", "{\"window\": \"P8D\"}")), 400);
		check(document, "putDigest", send(initech, json(digest, "PUT", "{")), 400);
		check(document, "putDigest", send(initech, json("/v1/digests/Order.*", "PUT", valid)), 400);
		check(document, "putDigest", send(initech, json(digest + NOT_CANONICAL, "PUT", valid)), 400);
		check(document, "putDigest", send(this.anonymous, json(digest, "PUT", valid)), 401);
		check(document, "putDigest", send(templateReader, json(digest, "PUT", valid)), 403);
		check(document, "putDigest", send(initech, json(digest, "PUT", valid).header("Accept", "text/csv")), 406);
		check(document, "putDigest", send(initech, json(digest, "PUT", HUGE)), 413);
		check(document, "putDigest", send(initech, body(digest, "PUT", "text/plain", valid)), 415);

		check(document, "getDigest", initech.get(digest), 200);
		check(document, "getDigest", initech.get("/v1/digests/a.*.b"), 400);
		check(document, "getDigest", initech.get(digest + NOT_CANONICAL), 400);
		check(document, "getDigest", this.anonymous.get(digest), 401);
		check(document, "getDigest", this.reader.get(digest), 403);
		check(document, "getDigest", initech.get("/v1/digests/none." + pattern), 404);
		check(document, "getDigest", send(initech, get(digest).header("Accept", "text/csv")), 406);

		check(document, "listDigests", initech.get("/v1/digests"), 200);
		check(document, "listDigests", initech.get("/v1/digests" + NOT_CANONICAL), 400);
		check(document, "listDigests", this.anonymous.get("/v1/digests"), 401);
		check(document, "listDigests", this.reader.get("/v1/digests"), 403);
		check(document, "listDigests", send(initech, get("/v1/digests").header("Accept", "text/csv")), 406);

		check(document, "deleteDigest", this.anonymous.delete(digest), 401);
		check(document, "deleteDigest", templateReader.delete(digest), 403);
		check(document, "deleteDigest", initech.delete("/v1/digests/Upper"), 400);
		check(document, "deleteDigest", initech.delete(digest + NOT_CANONICAL), 400);
		check(document, "deleteDigest", initech.delete(digest), 204);
		check(document, "deleteDigest", initech.delete(digest), 404);
	}

	/**
	 * Every documented answer of the unsubscribe links but the {@code 503} of
	 * {@link #whileTheReadModelIsStopped}; they take no key.
	 */
	private void unsubscribeLinks(OpenApiDocument document, String user) {
		String link = "/v1/unsubscribe/" + unsubscribeToken(user);
		String forged = "/v1/unsubscribe/" + new UnsubscribeLinks(
				new UnsubscribeProperties("another-signing-key-0123456789abcdef", null, null, null), Clock.systemUTC())
			.token(UnsubscribeLink.category("acme", user, "marketing.news", Instant.now()));
		for (String operationId : List.of("showUnsubscribePage", "unsubscribeOneClick")) {
			String method = operationId.equals("showUnsubscribePage") ? "GET" : "POST";
			check(document, operationId, send(this.anonymous, oneClick(link, method)), 200);
			check(document, operationId, send(this.anonymous, oneClick("/v1/unsubscribe/not-a-link", method)), 400);
			check(document, operationId, send(this.anonymous, oneClick(link + NOT_CANONICAL, method)), 400);
			check(document, operationId, send(this.anonymous, oneClick(forged, method)), 403);
		}
		check(document, "unsubscribeOneClick",
				send(this.anonymous, body(link, "POST", "application/x-www-form-urlencoded", "List-Unsubscribe=No")),
				400);
		check(document, "unsubscribeOneClick", send(this.anonymous, body(link, "POST",
				"application/x-www-form-urlencoded", "List-Unsubscribe=One-Click&" + "x".repeat(5000))), 413);
	}

	private static HttpRequest.Builder oneClick(String path, String method) {
		return body(path, method, "application/x-www-form-urlencoded",
				method.equals("GET") ? "" : "List-Unsubscribe=One-Click");
	}

	private static String unsubscribeToken(String user) {
		return RoutingTestSupport.unsubscribeLinks()
			.token(UnsubscribeLink.category("acme", user, "marketing.news", Instant.now()));
	}

	/** {@code 202} for writes, {@code 503} for reads. */
	private void whileTheReadModelIsStopped(OpenApiDocument document) {
		String user = newUser();
		String users = "/v1/users/" + user;
		String template = "/v1/templates/stopped-" + UUID.randomUUID();
		String deleted = "/v1/templates/deleted-" + UUID.randomUUID();
		Api initech = api(RoutingTestSupport.INITECH_KEY);
		initech.put(template, TEMPLATE);
		initech.put(deleted, TEMPLATE);
		this.acme.put(users, PROFILE);
		this.acme.post(users + "/devices", DEVICE);
		this.acme.put("/v1/topics/news/subscribers/" + user, "");
		StreamsBuilderFactoryBean readModel = stopReadModel();
		try {
			check(document, "getProfile", this.acme.get(users), 503);
			check(document, "getPreferences", this.acme.get(users + "/preferences"), 503);
			check(document, "getTopics", this.acme.get(users + "/topics"), 503);
			check(document, "listDevices", this.acme.get(users + "/devices"), 503);
			check(document, "listSuppressions", this.acme.get(users + "/suppressions"), 503);
			check(document, "suppressAddress", this.acme.put(users + "/suppressions/email", "{\"reason\": \"manual\"}"),
					503);
			check(document, "liftSuppression", this.acme.delete(users + "/suppressions/email"), 503);
			check(document, "getSubscription", this.acme.get("/v1/topics/news/subscribers/" + user), 503);
			check(document, "removeDevice", this.acme.delete(users + "/devices/" + DeviceValidatorTests.APNS_TOKEN),
					503);
			check(document, "unsubscribe", this.acme.delete("/v1/topics/news/subscribers/" + user), 503);
			check(document, "putProfile", this.acme.put(users, PROFILE), 202);
			check(document, "patchProfile",
					send(this.acme, body(users, "PATCH", UserController.MERGE_PATCH_JSON, "{\"locale\": \"en\"}")),
					202);
			check(document, "putPreferences", this.acme.put(users + "/preferences", PREFERENCES), 202);
			check(document, "registerDevice", this.acme.post(users + "/devices", DEVICE), 202);
			check(document, "subscribe", this.acme.put("/v1/topics/news/subscribers/" + user, ""), 202);
			check(document, "eraseUser", this.acme.delete(users), 202);
			check(document, "putTemplate", initech.put(template, TEMPLATE.replace("Hallo", "Moin")), 202);
			check(document, "deleteTemplate", initech.delete(deleted), 202);
			check(document, "listTemplateVersions", initech.get(template + "/versions"), 503);
			check(document, "getTemplateVersion", initech.get(template + "/versions/1"), 503);
			check(document, "previewTemplate", initech.post(template + "/preview", "{\"version\": 1}"), 503);
			check(document, "unsubscribeOneClick",
					send(this.anonymous, oneClick("/v1/unsubscribe/" + unsubscribeToken(user), "POST")), 503);
		}
		finally {
			readModel.start();
		}
	}

	/**
	 * A read of the user's {@code suffix}: 200, 400 (a bad id, a path that is not
	 * canonical), 401, 403, 404, 406.
	 */
	private void reads(OpenApiDocument document, String operationId, String suffix, String user) {
		String path = "/v1/users/" + user + suffix;
		check(document, operationId, this.acme.get(path), 200);
		check(document, operationId, this.acme.get("/v1/users/a%7Cb" + suffix), 400);
		check(document, operationId, this.acme.get(path + NOT_CANONICAL), 400);
		check(document, operationId, this.anonymous.get(path), 401);
		check(document, operationId, this.eventsOnly.get(path), 403);
		check(document, operationId, this.acme.get("/v1/users/" + newUser() + suffix), 404);
		check(document, operationId, send(this.acme, get(path).header("Accept", "text/csv")), 406);
	}

	/**
	 * A write with a JSON body: {@code ok}, 400 (for {@code invalid}, a body that is not
	 * JSON, a path that is not canonical), 401, 403, 406, 413, 415.
	 */
	private void writes(OpenApiDocument document, String operationId, String method, String path, String valid,
			String invalid, int ok) {
		check(document, operationId, send(this.acme, json(path, method, valid)), ok);
		check(document, operationId, send(this.acme, json(path, method, invalid)), 400);
		check(document, operationId, send(this.acme, json(path, method, "{")), 400);
		check(document, operationId, send(this.acme, json(path + NOT_CANONICAL, method, valid)), 400);
		check(document, operationId, send(this.anonymous, json(path, method, valid)), 401);
		check(document, operationId, send(this.reader, json(path, method, valid)), 403);
		check(document, operationId, send(this.acme, json(path, method, valid).header("Accept", "text/csv")), 406);
		check(document, operationId, send(this.acme, json(path, method, HUGE)), 413);
		check(document, operationId, send(this.acme, body(path, method, "text/plain", valid)), 415);
	}

	/**
	 * A removal of what exists: 401, 403, 400 (for {@code invalid}, a path that is not
	 * canonical), 204, then 404.
	 */
	private void removals(OpenApiDocument document, String operationId, String path, String invalid) {
		check(document, operationId, this.anonymous.delete(path), 401);
		check(document, operationId, this.reader.delete(path), 403);
		check(document, operationId, this.acme.delete(invalid), 400);
		check(document, operationId, this.acme.delete(path + NOT_CANONICAL), 400);
		check(document, operationId, this.acme.delete(path), 204);
		check(document, operationId, this.acme.delete(path), 404);
	}

	private static void check(OpenApiDocument document, String operationId, Response response, int expected) {
		document.expect(operationId, expected, response.raw());
	}

	private OpenApiDocument document() {
		return OpenApiDocument.served(this.port);
	}

	/** A request without a key or server, for {@link #send}. */
	private static HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder().uri(URI.create("http://placeholder" + path)).GET();
	}

	private static HttpRequest.Builder json(String path, String method, String body) {
		return body(path, method, "application/json", body);
	}

	private static HttpRequest.Builder body(String path, String method, String contentType, String body) {
		return HttpRequest.newBuilder()
			.uri(URI.create("http://placeholder" + path))
			.header("Content-Type", contentType)
			.method(method.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofString(body));
	}

	/**
	 * Sends a request made by {@link #get} or {@link #body} to the service with the api's
	 * key.
	 */
	private static Response send(Api api, HttpRequest.Builder request) {
		HttpRequest template = request.build();
		HttpRequest.Builder real = api.request(template.uri().getRawPath());
		template.headers().map().forEach((name, values) -> values.forEach((value) -> real.header(name, value)));
		real.method(template.method(), template.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
		return api.send(real);
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

}
