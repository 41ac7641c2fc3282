package io.herald.routing.digest;

import io.herald.events.DigestSetting;
import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digest settings API (docs/adr/036) against a real broker: settings written, read,
 * listed and deleted per tenant through their compacted topic; every hostile request gets
 * a clear problem and changes nothing. Patterns are this test's own, so no other test's
 * events are digested.
 */
class DigestApiIntegrationTests extends RoutingApiIntegrationTest {

	@Autowired
	DigestSettings settings;

	private String prefix;

	@BeforeEach
	void newPrefix() {
		this.prefix = "dg-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void aSettingIsStoredReadListedUsedByRoutingAndDeleted() {
		String pattern = this.prefix + ".*";
		Response put = this.acme.put("/v1/digests/" + pattern, "{\"window\": \"PT60M\", \"extra\": [1]}");

		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(put.json().get("pattern").stringValue()).isEqualTo(pattern);
		assertThat(put.json().get("window").stringValue()).isEqualTo("PT1H");
		assertThat(put.json().get("template").stringValue()).isEqualTo(DigestSetting.DEFAULT_TEMPLATE);
		assertThat(put.json().has("dailyAt")).isFalse();
		assertThat(this.acme.get("/v1/digests/" + pattern).json()).isEqualTo(put.json());
		assertThat(this.settings.find("acme", this.prefix + ".news")).isNotNull();

		Response daily = this.acme.put("/v1/digests/" + this.prefix + ".news",
				"{\"dailyAt\": \"09:00\", \"template\": \"welcome\"}");
		assertThat(daily.status()).as(daily.toString()).isEqualTo(200);
		assertThat(daily.json().get("dailyAt").stringValue()).isEqualTo("09:00");
		assertThat(daily.json().get("template").stringValue()).isEqualTo("welcome");
		assertThat(this.settings.find("acme", this.prefix + ".news").pattern()).as("the most specific")
			.isEqualTo(this.prefix + ".news");
		assertThat(patterns(this.acme)).contains(pattern, this.prefix + ".news");

		assertThat(this.acme.delete("/v1/digests/" + pattern).status()).isEqualTo(204);
		assertThat(this.acme.delete("/v1/digests/" + this.prefix + ".news").status()).isEqualTo(204);
		assertThat(this.acme.get("/v1/digests/" + pattern).status()).isEqualTo(404);
		assertThat(this.acme.delete("/v1/digests/" + pattern).status()).isEqualTo(404);
		assertThat(this.settings.find("acme", this.prefix + ".news")).isNull();
	}

	@Test
	void aUsersDigestChoiceIsStoredWithThePreferencesAndABadOneIsRefused() {
		String preferences = "/v1/users/u-" + UUID.randomUUID() + "/preferences";
		Response put = this.acme.put(preferences, "{\"categories\": {\"" + this.prefix
				+ ".*\": {\"digest\": \"off\"}, \"news.*\": {\"digest\": \"18:00\"}}}");

		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(this.acme.get(preferences).json().at("/categories/news.*/digest").stringValue()).isEqualTo("18:00");
		assertThat(this.acme.get(preferences).json().at("/categories/" + this.prefix + ".*/digest").stringValue())
			.isEqualTo("off");
		Response bad = this.acme.put(preferences, "{\"categories\": {\"news.*\": {\"digest\": \"hourly\"}}}");
		assertProblem(bad, 400, "invalid_request");
		assertThat(bad.json().get("errors").get(0).get("field").stringValue()).isEqualTo("categories.news.*.digest");
		assertThat(this.acme.get(preferences).json().at("/categories/news.*/digest").stringValue()).as("unchanged")
			.isEqualTo("18:00");
	}

	@Test
	void anotherTenantsSettingsAreInvisibleAndUntouchable() {
		String digest = "/v1/digests/" + this.prefix + ".*";
		this.acme.put(digest, "{\"window\": \"PT5M\"}");
		Api globex = api(RoutingTestSupport.GLOBEX_KEY);

		assertThat(globex.get(digest).status()).isEqualTo(404);
		assertThat(patterns(globex)).doesNotContain(this.prefix + ".*");
		assertThat(globex.delete(digest).status()).isEqualTo(404);
		assertThat(this.settings.find("globex", this.prefix + ".x")).isNull();
		assertThat(this.acme.get(digest).status()).isEqualTo(200);
		this.acme.delete(digest);
	}

	@Test
	void onlyKeysWithTheTemplateScopesReadOrWrite() {
		String digest = "/v1/digests/" + this.prefix + ".*";
		Api reader = api(RoutingTestSupport.ACME_READER_KEY);
		Api templateReader = api(RoutingTestSupport.ACME_TEMPLATE_READER_KEY);
		Api anonymous = api(null);

		assertProblem(anonymous.put(digest, "{\"window\": \"PT5M\"}"), 401, "unauthorized");
		assertProblem(reader.put(digest, "{\"window\": \"PT5M\"}"), 403, "forbidden");
		assertProblem(reader.get("/v1/digests"), 403, "forbidden");
		assertProblem(templateReader.put(digest, "{\"window\": \"PT5M\"}"), 403, "forbidden");
		assertThat(templateReader.get("/v1/digests").status()).isEqualTo(200);
		assertThat(this.acme.get(digest).status()).as("nothing written").isEqualTo(404);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', textBlock = """
			not an object ; [] ; ''
			neither window nor dailyAt ; {"template": "digest"} ; window
			both window and dailyAt ; {"window": "PT1H", "dailyAt": "09:00"} ; window
			window too short ; {"window": "PT59S"} ; window
			window too long ; {"window": "P8D"} ; window
			window negative ; {"window": "-PT1H"} ; window
			window a number ; {"window": 3600} ; window
			window a time of day ; {"window": "09:00"} ; window
			window absurdly long ; {"window": "P99999999999999999999D"} ; window
			dailyAt out of the day ; {"dailyAt": "24:00"} ; dailyAt
			dailyAt with seconds ; {"dailyAt": "09:00:00"} ; dailyAt
			dailyAt a duration ; {"dailyAt": "PT1H"} ; dailyAt
			template not an id ; {"window": "PT1H", "template": "../etc/passwd"} ; template
			template unknown ; {"window": "PT1H", "template": "no-such-template"} ; template
			template not a string ; {"window": "PT1H", "template": ["digest"]} ; template
			""")
	void refusesABadBodyNamingTheField(String rule, String json, String field) {
		Response response = this.acme.put("/v1/digests/" + this.prefix + ".*", json);

		assertProblem(response, 400, "invalid_request");
		assertThat(response.json().get("errors").get(0).get("field").stringValue()).isEqualTo(field);
		assertThat(this.acme.get("/v1/digests/" + this.prefix + ".*").status()).as("nothing written").isEqualTo(404);
	}

	@Test
	void refusesBadPatternsMalformedAndOversizedBodiesAndOtherMediaTypes() {
		String valid = "{\"window\": \"PT1H\"}";
		for (String pattern : List.of("Order.*", "a.*.b", "order*", "x".repeat(101), "%2A%2A", "a%7Cb")) {
			assertProblem(this.acme.put("/v1/digests/" + pattern, valid), 400, null);
		}
		assertProblem(this.acme.put("/v1/digests/" + this.prefix, "{\"window\": "), 400, "malformed_json");
		assertProblem(
				this.acme.put("/v1/digests/" + this.prefix,
						"{\"window\": \"PT1H\", \"pad\": \"" + "x".repeat(70 * 1024) + "\"}"),
				413, "payload_too_large");
		assertProblem(this.acme.send(this.acme.request("/v1/digests/" + this.prefix)
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString(valid))), 415, "unsupported_media_type");
		assertThat(this.acme.get("/v1/digests/" + this.prefix).status()).isEqualTo(404);
	}

	@Test
	void aTenantHasAtMostAHundredSettings() {
		Api initech = api(RoutingTestSupport.INITECH_KEY);
		int existing = initech.get("/v1/digests").json().get("digests").size();
		List<String> written = new ArrayList<>();
		for (int i = existing; i < DigestSetting.MAX_PER_TENANT; i++) {
			String pattern = this.prefix + "-" + i;
			assertThat(initech.put("/v1/digests/" + pattern, "{\"window\": \"PT1H\"}").status()).isEqualTo(200);
			written.add(pattern);
		}

		assertProblem(initech.put("/v1/digests/" + this.prefix + "-one-more", "{\"window\": \"PT1H\"}"), 409,
				"too_many_digests");
		assertThat(initech.put("/v1/digests/" + written.get(0), "{\"window\": \"PT2H\"}").status())
			.as("an existing pattern may change")
			.isEqualTo(200);
		written.forEach((pattern) -> initech.delete("/v1/digests/" + pattern));
	}

	private static List<String> patterns(Api api) {
		List<String> patterns = new ArrayList<>();
		api.get("/v1/digests").json().get("digests").forEach((view) -> patterns.add(view.get("pattern").stringValue()));
		return patterns;
	}

	private static void assertProblem(Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		if (code != null) {
			assertThat(response.json().get("code").stringValue()).as(response.toString()).isEqualTo(code);
		}
	}

}
