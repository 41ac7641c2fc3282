package io.herald.routing.user;

import io.herald.events.Channel;
import io.herald.events.SuppressionReason;
import io.herald.events.UserCommand;
import io.herald.routing.RoutingApiIntegrationTest;
import io.herald.routing.RoutingTestSupport;
import io.herald.routing.RoutingTestSupport.Api;
import io.herald.routing.RoutingTestSupport.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suppression list over HTTP (docs/adr/033), against a real broker and the real
 * routing topology: suppressions recorded by delivery's commands and by hand, listed,
 * lifted, dropped by a new address and erased with the user; every hostile request gets a
 * clear answer and changes nothing.
 */
class SuppressionApiIntegrationTests extends RoutingApiIntegrationTest {

	private static final String PROFILE = "{\"email\": \"ada@bounce.invalid\", \"phone\": \"+15550001234\"}";

	@Autowired
	UserCommandPublisher commands;

	private String user;

	private String suppressions;

	@BeforeEach
	void newUser() {
		this.user = "u-" + UUID.randomUUID();
		this.suppressions = "/v1/users/" + this.user + "/suppressions";
	}

	@Test
	void aBounceFromDeliveryIsListedKeptForTheSameAddressAndLiftedOnRequest() {
		assertThat(this.acme.put("/v1/users/" + this.user, PROFILE).status()).isEqualTo(200);
		this.commands.publish(new UserCommand.SuppressAddress(UserCommand.SCHEMA_VERSION, "acme", this.user,
				Instant.now(), Channel.EMAIL, "ada@bounce.invalid", SuppressionReason.BAD_ADDRESS, "n-1"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.acme.get(this.suppressions).json().get("suppressions")).hasSize(1));
		Response listed = this.acme.get(this.suppressions);
		assertThat(listed.json().get("suppressions").get(0).propertyNames()).containsExactly("channel", "address",
				"reason", "since", "notificationId");
		assertThat(listed.json().at("/suppressions/0/reason").stringValue()).isEqualTo("bad_address");
		assertThat(listed.json().at("/suppressions/0/notificationId").stringValue()).isEqualTo("n-1");

		assertThat(this.acme.put("/v1/users/" + this.user, PROFILE).status()).isEqualTo(200);
		assertThat(this.acme.get(this.suppressions).json().get("suppressions")).as("the same address").hasSize(1);

		assertThat(this.acme.delete(this.suppressions + "/email").status()).isEqualTo(204);
		assertThat(this.acme.get(this.suppressions).json().get("suppressions")).isEmpty();
		assertNotFound(this.acme.delete(this.suppressions + "/email"));
	}

	@Test
	void aLateReceiptOfAMessageSentBeforeTheLiftDoesNotSuppressTheAddressAgain() {
		assertThat(this.acme.put("/v1/users/" + this.user, PROFILE).status()).isEqualTo(200);
		Instant sent = Instant.now();
		this.commands.publish(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", this.user,
				Instant.now(), Channel.EMAIL, "ada@bounce.invalid", SuppressionReason.BAD_ADDRESS, "n-1", sent));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.acme.get(this.suppressions).json().get("suppressions")).hasSize(1));
		assertThat(this.acme.delete(this.suppressions + "/email").status()).isEqualTo(204);

		// The complaint about the message sent before the lift, then newer evidence about
		// the phone, in this order on the user's partition.
		this.commands.publish(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", this.user,
				Instant.now(), Channel.EMAIL, "ada@bounce.invalid", SuppressionReason.COMPLAINT, null, sent));
		this.commands.publish(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, "acme", this.user,
				Instant.now(), Channel.SMS, "+15550001234", SuppressionReason.INVALID_NUMBER, null, Instant.now()));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.acme.get(this.suppressions).json().findValuesAsString("channel"))
				.containsExactly("sms"));
	}

	@Test
	void aSuppressionByHandIsForTheCurrentAddressUntilTheProfileNamesAnother() {
		this.acme.put("/v1/users/" + this.user, PROFILE);

		Response put = this.acme.put(this.suppressions + "/sms", "{\"reason\": \"complaint\", \"extra\": [1]}");

		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(put.json().get("address").stringValue()).isEqualTo("+15550001234");
		assertThat(put.json().get("reason").stringValue()).isEqualTo("complaint");
		assertThat(put.json().has("notificationId")).isFalse();
		assertThat(this.acme.put(this.suppressions + "/sms", "{\"reason\": \"manual\"}")
			.json()
			.get("reason")
			.stringValue()).as("replaced").isEqualTo("manual");

		this.acme.put("/v1/users/" + this.user, "{\"email\": \"ada@bounce.invalid\", \"phone\": \"+4915112345678\"}");

		assertThat(this.acme.get(this.suppressions).json().get("suppressions")).isEmpty();
	}

	@Test
	void erasingTheUserErasesTheSuppressions() {
		this.acme.put("/v1/users/" + this.user, PROFILE);
		this.acme.put(this.suppressions + "/email", "{\"reason\": \"bad_address\"}");

		assertThat(this.acme.delete("/v1/users/" + this.user).status()).isEqualTo(204);

		assertNotFound(this.acme.get(this.suppressions));
		this.acme.put("/v1/users/" + this.user, PROFILE);
		assertThat(this.acme.get(this.suppressions).json().get("suppressions")).isEmpty();
	}

	@Test
	void invalidChannelsAndBodiesAre400NamingTheFieldAndWriteNothing() {
		this.acme.put("/v1/users/" + this.user, PROFILE);
		for (String channel : List.of("push", "inapp", "fax", "EMAIL", "e".repeat(5_000))) {
			assertInvalid(this.acme.put(this.suppressions + "/" + channel, "{\"reason\": \"manual\"}"), "channel");
			assertInvalid(this.acme.delete(this.suppressions + "/" + channel), "channel");
		}
		assertInvalid(this.acme.put("/v1/users/a%7Cb/suppressions/fax", "{\"reason\": \"manual\"}"), "channel",
				"userId");
		for (String body : List.of("{}", "{\"reason\": \"annoyed\"}", "{\"reason\": 7}", "{\"reason\": null}",
				"{\"reason\": [\"manual\"]}", "{\"reason\": \"MANUAL\"}")) {
			assertInvalid(this.acme.put(this.suppressions + "/email", body), "reason");
		}
		assertInvalid(this.acme.put(this.suppressions + "/email", "[\"manual\"]"), "");
		Response malformed = this.acme.put(this.suppressions + "/email", "{\"reason\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("code").stringValue()).isEqualTo("malformed_json");
		Response huge = this.acme.put(this.suppressions + "/email",
				"{\"reason\": \"manual\", \"x\": \"" + "a".repeat(70 * 1024) + "\"}");
		assertThat(huge.status()).isEqualTo(413);
		Response text = this.acme.send(this.acme.request(this.suppressions + "/email")
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"reason\": \"manual\"}")));
		assertThat(text.status()).isEqualTo(415);

		assertThat(this.acme.get(this.suppressions).json().get("suppressions")).as("nothing was written").isEmpty();
	}

	@Test
	void unknownUsersMissingAddressesAndOtherTenantsAre404AndKeysNeedTheirScope() {
		String unknown = "/v1/users/u-" + UUID.randomUUID() + "/suppressions";
		assertNotFound(this.acme.get(unknown));
		assertNotFound(this.acme.put(unknown + "/email", "{\"reason\": \"manual\"}"));
		assertNotFound(this.acme.delete(unknown + "/email"));

		this.acme.put("/v1/users/" + this.user, "{\"email\": \"ada@bounce.invalid\"}");
		Response noPhone = this.acme.put(this.suppressions + "/sms", "{\"reason\": \"manual\"}");
		assertNotFound(noPhone);
		assertThat(noPhone.json().get("detail").stringValue()).contains("no phone number");
		assertThat(this.acme.put(this.suppressions + "/email", "{\"reason\": \"complaint\"}").status()).isEqualTo(200);

		Api globex = api(RoutingTestSupport.GLOBEX_KEY);
		assertNotFound(globex.get(this.suppressions));
		assertNotFound(globex.put(this.suppressions + "/email", "{\"reason\": \"manual\"}"));
		assertNotFound(globex.delete(this.suppressions + "/email"));

		Api reader = api(RoutingTestSupport.ACME_READER_KEY);
		assertThat(reader.get(this.suppressions).status()).isEqualTo(200);
		assertThat(reader.put(this.suppressions + "/email", "{\"reason\": \"manual\"}").status()).isEqualTo(403);
		assertThat(reader.delete(this.suppressions + "/email").status()).isEqualTo(403);
		Api anonymous = api(null);
		assertThat(anonymous.get(this.suppressions).status()).isEqualTo(401);
		assertThat(anonymous.delete(this.suppressions + "/email").status()).isEqualTo(401);

		assertThat(this.acme.get(this.suppressions).json().at("/suppressions/0/reason").stringValue())
			.as("acme's suppression is untouched")
			.isEqualTo("complaint");
	}

	private static void assertNotFound(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(404);
		assertThat(response.json().get("code").stringValue()).isEqualTo("not_found");
	}

	private static void assertInvalid(Response response, String... fields) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.json().get("code").stringValue()).isEqualTo("invalid_request");
		assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly(fields);
	}

}
