package io.herald.client;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventTests {

	@Test
	void encodesEveryFieldAsApiMdNamesIt() {
		Event event = Event.builder("order.shipped")
			.toUsers("u-42", "u-43")
			.priority(Priority.HIGH)
			.idempotencyKey("order-981-shipped")
			.channels(Channel.INAPP)
			.content("Your order shipped", "Order 981 is on its way")
			.override(Channel.INAPP, "Shipped!", null)
			.data("orderId", "981")
			.sendAt(Instant.parse("2026-11-22T18:00:00Z"))
			.expiresAt(Instant.parse("2026-11-23T18:00:00Z"))
			.build();
		JsonNode json = Events.encode(event);
		assertThat(json).isEqualTo(Transport.JSON.readTree(
				"""
						{"type": "order.shipped", "recipients": {"users": ["u-42", "u-43"]}, "priority": "high",
						 "idempotencyKey": "order-981-shipped", "channels": ["inapp"],
						 "content": {"title": "Your order shipped", "body": "Order 981 is on its way",
						             "overrides": {"inapp": {"title": "Shipped!"}}},
						 "data": {"orderId": "981"}, "sendAt": "2026-11-22T18:00:00Z", "expiresAt": "2026-11-23T18:00:00Z"}"""));
	}

	@Test
	void encodesTopicAndAllRecipientsAndTemplates() {
		assertThat(Events.encode(Event.builder("news").toTopic("weekly").template("digest").build()))
			.isEqualTo(Transport.JSON.readTree("""
					{"type": "news", "recipients": {"topic": "weekly"}, "template": "digest"}"""));
		assertThat(Events.encode(Event.builder("news").toAllUsers().template("digest").data(Map.of("n", 3)).build()))
			.isEqualTo(Transport.JSON.readTree("""
					{"type": "news", "recipients": {"all": true}, "template": "digest", "data": {"n": 3}}"""));
	}

	@Test
	void refusesAnEventWithoutRecipients() {
		assertThatIllegalArgumentException().isThrownBy(() -> Event.builder("news").template("digest").build())
			.withMessageContaining("recipients");
	}

	@Test
	void refusesAnEventWithBothContentAndTemplate() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Event.builder("news").toAllUsers().template("digest").content("t", "b").build())
			.withMessageContaining("both");
	}

	@Test
	void refusesAnEventWithNeitherContentNorTemplate() {
		assertThatIllegalArgumentException().isThrownBy(() -> Event.builder("news").toAllUsers().build())
			.withMessageContaining("neither");
	}

	@Test
	void refusesABatchOverTheLimit() {
		Event event = Event.builder("news").toAllUsers().template("digest").build();
		Events events = new Events(null, java.net.URI.create("http://localhost/"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> events.publishBatch(java.util.Collections.nCopies(Events.MAX_BATCH + 1, event)))
			.withMessageContaining("1 to 500");
	}

}
