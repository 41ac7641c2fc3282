package io.herald.routing.unsubscribe;

import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import io.herald.events.JsonCodec;
import io.herald.support.unsubscribe.UnsubscribeLink;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.unsubscribe.UnsubscribeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unsubscribe links end to end, over HTTP as a mailbox provider and a browser send
 * them, against a real broker and the real routing topology: the preferences they change
 * are read back through the user API.
 */
class UnsubscribeIntegrationTests extends RoutingApiIntegrationTest {

	private static final String FORM = "application/x-www-form-urlencoded";

	private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

	private static final String CATEGORY = "marketing.news";

	@Autowired
	MeterRegistry meters;

	private final UnsubscribeLinks links = RoutingTestSupport.unsubscribeLinks();

	private Api recipient;

	private String user;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("herald.unsubscribe.max-age", () -> "3650d");
	}

	@BeforeEach
	void newUser() {
		this.recipient = api(null);
		this.user = "u-" + UUID.randomUUID();
		assertThat(this.acme.put("/v1/users/" + this.user, "{\"email\": \"ada@example.com\"}").status()).isEqualTo(200);
	}

	@Test
	void openingTheLinkShowsAPageAndChangesNothing() {
		Response page = this.recipient.get(link(categoryLink()));

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'")
			.contains("form-action 'self'");
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("Cache-Control")).isEqualTo("no-store");
		assertThat(page.body()).contains("Stop emails about <strong>" + CATEGORY + "</strong>?")
			.contains("<form method=\"post\" enctype=\"" + FORM + "\">")
			.contains("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">")
			.contains("Stop all email")
			.doesNotContain("<script");
		assertThat(preferences()).isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));
	}

	@Test
	void oneClickTurnsTheCategorysEmailOffOnceAndAgainChangesNothing() {
		double before = count("unsubscribed");
		double alreadyBefore = count("already");

		Response done = post(link(categoryLink()), FORM, ONE_CLICK);

		assertThat(done.status()).as(done.body()).isEqualTo(200);
		assertThat(done.body()).contains("You will no longer get emails about <strong>" + CATEGORY + "</strong>.");
		JsonNode expected = json("{\"channels\": {}, \"categories\": {\"" + CATEGORY
				+ "\": {\"channels\": [\"inapp\", \"push\", \"sms\"]}}}");
		assertThat(preferences()).isEqualTo(expected);
		assertThat(count("unsubscribed")).isEqualTo(before + 1);

		assertThat(post(link(categoryLink()), FORM, ONE_CLICK).status()).isEqualTo(200);
		assertThat(preferences()).isEqualTo(expected);
		assertThat(count("already")).isEqualTo(alreadyBefore + 1);
	}

	@Test
	void otherPreferencesStayAsTheyWere() {
		this.acme.put("/v1/users/" + this.user + "/preferences",
				"{\"channels\": {\"sms\": false}, \"categories\": {\"order.*\": {\"enabled\": false}}, "
						+ "\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}");

		assertThat(post(link(categoryLink()), FORM, ONE_CLICK).status()).isEqualTo(200);

		assertThat(preferences()).isEqualTo(json("{\"channels\": {\"sms\": false}, \"categories\": {\"" + CATEGORY
				+ "\": {\"channels\": [\"inapp\", \"push\", \"sms\"]}, \"order.*\": {\"enabled\": false}}, "
				+ "\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}"));
	}

	@Test
	void thePagesSecondButtonTurnsAllEmailOff() {
		Response done = post("/v1/unsubscribe/" + allEmailToken(categoryLink()), FORM, ONE_CLICK);

		assertThat(done.status()).isEqualTo(200);
		assertThat(done.body()).contains("You will no longer get email from us.");
		assertThat(preferences()).isEqualTo(json("{\"channels\": {\"email\": false}, \"categories\": {}}"));
	}

	@Test
	void thePagesAllEmailLinkIsNoYoungerThanTheLinkItWasShownFor() {
		Instant sent = Instant.parse("2025-06-01T08:00:00Z");

		String allEmail = allEmailToken(UnsubscribeLink.category("acme", this.user, CATEGORY, sent));

		assertThat(this.links.verify(allEmail)).isInstanceOfSatisfying(UnsubscribeLinks.Verification.Verified.class,
				(verified) -> assertThat(verified.link()).isEqualTo(UnsubscribeLink.allEmail("acme", this.user, sent)));
	}

	@Test
	void anErasedUsersLinkKeepsTheUserErased() {
		String link = link(categoryLink());
		assertThat(this.acme.delete("/v1/users/" + this.user).status()).isEqualTo(204);
		double before = count("unknown_user");

		for (String path : new String[] { link, "/v1/unsubscribe/" + allEmailToken(categoryLink()) }) {
			Response done = post(path, FORM, ONE_CLICK);
			assertThat(done.status()).isEqualTo(200);
			assertThat(done.body()).contains("You will no longer get");
		}

		assertThat(this.acme.get("/v1/users/" + this.user).status()).isEqualTo(404);
		assertThat(this.acme.get("/v1/users/" + this.user + "/preferences").status()).isEqualTo(404);
		assertThat(count("unknown_user")).isEqualTo(before + 2);
	}

	@Test
	void aMultipartOneClickWorksAndCredentialsAreNotLookedAt() {
		String body = "--xYz\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--xYz--\r\n";
		Response done = this.recipient.send(this.recipient.request(link(categoryLink()))
			.header("Content-Type", "multipart/form-data; boundary=xYz")
			.header("Authorization", "Bearer not-a-key")
			.header("Cookie", "session=whatever")
			.POST(HttpRequest.BodyPublishers.ofString(body)));

		assertThat(done.status()).as(done.body()).isEqualTo(200);
		assertThat(preferences().path("categories").has(CATEGORY)).isTrue();
	}

	@Test
	void aUserRoutingDoesNotKnowGetsTheSameAnswerAndIsNotCreated() {
		String stranger = "u-" + UUID.randomUUID();
		double before = count("unknown_user");

		Response done = post(link(UnsubscribeLink.category("acme", stranger, CATEGORY, Instant.now())), FORM,
				ONE_CLICK);

		assertThat(done.status()).isEqualTo(200);
		assertThat(done.body()).contains("You will no longer get emails about");
		assertThat(this.acme.get("/v1/users/" + stranger + "/preferences").status()).isEqualTo(404);
		assertThat(count("unknown_user")).isEqualTo(before + 1);
	}

	@Test
	void forgedAlteredAndExpiredLinksAreRefusedAndChangeNothing() {
		UnsubscribeLinks foreign = new UnsubscribeLinks(
				new UnsubscribeProperties("a-key-that-is-not-routings-0123456789", null, null, null),
				Clock.systemUTC());
		String forged = "/v1/unsubscribe/" + foreign.token(categoryLink());
		String token = this.links.token(categoryLink());
		String otherUser = this.links.token(UnsubscribeLink.category("acme", "u-victim", CATEGORY, Instant.now()));
		String altered = "/v1/unsubscribe/" + otherUser.substring(0, otherUser.indexOf('.'))
				+ token.substring(token.indexOf('.'));
		String expired = link(
				UnsubscribeLink.category("acme", this.user, CATEGORY, Instant.parse("2000-01-01T00:00:00Z")));
		double before = count("invalid_link");

		for (String path : new String[] { forged, altered, expired }) {
			for (Response refused : new Response[] { this.recipient.get(path), post(path, FORM, ONE_CLICK) }) {
				assertThat(refused.status()).as(path).isEqualTo(403);
				assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(refused.json().path("code").stringValue()).isEqualTo("invalid_link");
			}
		}
		assertThat(count("invalid_link")).isEqualTo(before + 2);
		assertThat(preferences()).isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));
	}

	@Test
	void garbageAndBadBodiesAreRefusedAndChangeNothing() {
		String link = link(categoryLink());
		for (String garbage : new String[] { "/v1/unsubscribe/garbage", "/v1/unsubscribe/a.b.c",
				"/v1/unsubscribe/" + "x".repeat(3000) + ".y" }) {
			assertThat(this.recipient.get(garbage).status()).as(garbage).isEqualTo(400);
			assertThat(post(garbage, FORM, ONE_CLICK).status()).as(garbage).isEqualTo(400);
		}
		for (String[] body : new String[][] { { FORM, "" }, { FORM, "List-Unsubscribe=Yes" },
				{ "application/json", "{\"List-Unsubscribe\": \"One-Click\"}" }, { "text/plain", ONE_CLICK } }) {
			Response refused = post(link, body[0], body[1]);
			assertThat(refused.status()).as(body[1]).isEqualTo(400);
			assertThat(refused.json().path("code").stringValue()).isEqualTo("invalid_request");
		}
		assertThat(post(link, FORM, ONE_CLICK + "&pad=" + "x".repeat(5000)).status()).isEqualTo(413);
		Response chunked = this.recipient.send(this.recipient.request(link)
			.header("Content-Type", FORM)
			.POST(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream((ONE_CLICK + "&" + "x".repeat(100_000)).getBytes()))));
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.json().path("code").stringValue()).isEqualTo("payload_too_large");
		assertThat(this.recipient.send(this.recipient.request(link).DELETE()).status()).isEqualTo(405);
		assertThat(preferences()).isEqualTo(json("{\"channels\": {}, \"categories\": {}}"));
	}

	private UnsubscribeLink categoryLink() {
		return UnsubscribeLink.category("acme", this.user, CATEGORY, Instant.now());
	}

	/** The token of the page's second button, for all email. */
	private String allEmailToken(UnsubscribeLink link) {
		Matcher action = Pattern.compile("<form method=\"post\" action=\"([A-Za-z0-9_.-]+)\" class=\"other\"")
			.matcher(this.recipient.get(link(link)).body());
		assertThat(action.find()).isTrue();
		return action.group(1);
	}

	private String link(UnsubscribeLink link) {
		return "/v1/unsubscribe/" + this.links.token(link);
	}

	private Response post(String path, String contentType, String body) {
		return this.recipient.send(this.recipient.request(path)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private JsonNode preferences() {
		Response preferences = this.acme.get("/v1/users/" + this.user + "/preferences");
		assertThat(preferences.status()).as(preferences.body()).isEqualTo(200);
		return preferences.json();
	}

	private double count(String outcome) {
		return this.meters.counter("herald.routing.unsubscribes", "outcome", outcome).count();
	}

	private static JsonNode json(String text) {
		return JsonCodec.MAPPER.readTree(text);
	}

}
