package io.herald.systemtests;

import io.herald.client.BatchResult;
import io.herald.client.Channel;
import io.herald.client.Delivery;
import io.herald.client.DeliveryState;
import io.herald.client.Device;
import io.herald.client.Event;
import io.herald.client.HeraldApiException;
import io.herald.client.HeraldClient;
import io.herald.client.Preferences;
import io.herald.client.ProblemKind;
import io.herald.client.Profile;
import io.herald.client.ProfileWrite;
import io.herald.client.Published;
import io.herald.client.StoredProfile;
import io.herald.client.SuppressionReason;
import io.herald.client.SuppressionWrite;
import io.herald.client.UserTokenMinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.herald.systemtests.HostileStack.JSON;
import static io.herald.systemtests.HostileStack.KEY_A;
import static io.herald.systemtests.HostileStack.KEY_B;
import static io.herald.systemtests.HostileStack.SECRET_A;
import static io.herald.systemtests.HostileStack.TENANT_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client ({@code clients/java}) against the real ingestion, routing and gateway
 * of a two-tenant stack, as a product service uses it: publish single and batch events
 * with and without idempotency keys, read their status, manage a user's profile (with
 * versions), preferences, devices and topics, mint a user token the gateway accepts, and
 * read Herald's refusals as typed problems.
 */
@Order(TwoTenantStackTests.ORDER)
class JavaClientIntegrationTests extends TwoTenantStackTests {

	private static final Duration ASYNC = Duration.ofSeconds(60);

	private final HeraldClient herald = client(KEY_A);

	@AfterEach
	void closeClient() {
		this.herald.close();
	}

	@Test
	void aPublishedEventReachesTheInboxOfAUserWhoseTokenTheClientMinted() throws Exception {
		String user = newUser();
		Published published = this.herald.events()
			.publish(Event.builder("order.shipped")
				.toUsers(user)
				.channels(Channel.INAPP)
				.content("Your order shipped", "Order 981 is on its way")
				.data("orderId", "981")
				.build());
		assertThat(published.duplicate()).isFalse();
		await().atMost(ASYNC)
			.ignoreException(HeraldApiException.class)
			.untilAsserted(
					() -> assertThat(this.herald.events().status(published.eventId()).deliveries()).singleElement()
						.satisfies((delivery) -> {
							assertThat(delivery.userId()).isEqualTo(user);
							assertThat(delivery.channel()).isEqualTo("inapp");
							assertThat(delivery.state()).isIn(DeliveryState.DELIVERED, DeliveryState.ACKNOWLEDGED);
							assertThat(delivery.seq()).isEqualTo(1L);
						}));
		String token = UserTokenMinter.hs256(TENANT_A, SECRET_A).mint(user, Duration.ofMinutes(5));
		HttpResponse<String> inbox = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(stack.service("gateway").url() + "/v1/inbox"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
		JsonNode item = JSON.readTree(inbox.body()).path("notifications").path(0);
		assertThat(item.path("eventId").asString()).isEqualTo(published.eventId());
		assertThat(item.path("title").asString()).isEqualTo("Your order shipped");
	}

	@Test
	void aTopicEventsInAppDeliveriesAreCountedQueuedAndEachMovedOutOnceDelivered() throws Exception {
		// Enough subscribers that routing's batches hold several users each: their queued
		// is one count, which each delivered leaves (docs/adr/037).
		String topic = "counted-" + UUID.randomUUID();
		List<String> users = java.util.stream.IntStream.range(0, 40).mapToObj((n) -> newUser()).toList();
		users.forEach((user) -> this.herald.users().subscribe(user, topic));
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThat(users)
				.allSatisfy((user) -> assertThat(this.herald.users().topics(user)).contains(topic)));
		Instant before = Instant.now().minusSeconds(60);
		Published published = this.herald.events()
			.publish(Event.builder("news.weekly")
				.toTopic(topic)
				.channels(Channel.INAPP)
				.content("This week", "News for every subscriber")
				.build());

		await().atMost(ASYNC).ignoreException(HeraldApiException.class).untilAsserted(() -> {
			assertThat(this.herald.events().status(published.eventId()).deliveries()).hasSize(users.size())
				.allSatisfy((delivery) -> assertThat(delivery.state()).isIn(DeliveryState.DELIVERED,
						DeliveryState.ACKNOWLEDGED));
			// The tenant's list shows the event's counts: none left queued.
			HttpResponse<String> list = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(stack.service("ingestion").url() + "/v1/events?from=" + before
						+ "&to=" + Instant.now().plusSeconds(60)))
					.header("Authorization", "Bearer " + KEY_A)
					.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode summary = null;
			for (JsonNode event : JSON.readTree(list.body()).path("events")) {
				if (event.path("eventId").asString().equals(published.eventId())) {
					summary = event.path("summary");
				}
			}
			assertThat(summary).as(list.body()).isNotNull();
			assertThat(summary.path("inapp").has("queued")).as(summary.toString()).isFalse();
			assertThat(summary.path("inapp").path("delivered").asLong()).isEqualTo(users.size());
		});
	}

	@Test
	void anEventPublishedTwiceUnderOneIdempotencyKeyIsOneEvent() {
		Event event = Event.builder("order.shipped")
			.toUsers(newUser())
			.channels(Channel.INAPP)
			.content("Shipped", "On its way")
			.idempotencyKey("order-" + UUID.randomUUID())
			.build();
		Published first = this.herald.events().publish(event);
		Published second = this.herald.events().publish(event);
		assertThat(first.duplicate()).isFalse();
		assertThat(second).isEqualTo(new Published(first.eventId(), true));
	}

	@Test
	void aCancelledScheduledEventIsNeverSent() {
		String user = newUser();
		Published published = this.herald.events()
			.publish(Event.builder("order.reminder")
				.toUsers(user)
				.channels(Channel.INAPP)
				.content("Reminder", "Tomorrow")
				.sendAt(java.time.Instant.now().plus(Duration.ofHours(1)))
				.build());
		// An event the status view has not read yet is a 404 for a moment.
		await().atMost(ASYNC)
			.ignoreException(HeraldApiException.class)
			.until(() -> this.herald.events().cancel(published.eventId()) != null);
		assertThat(this.herald.events().cancel(published.eventId())).as("a second cancellation").isNotNull();
		await().atMost(ASYNC)
			.untilAsserted(
					() -> assertThat(this.herald.events().status(published.eventId()).deliveries()).singleElement()
						.satisfies((delivery) -> assertThat(delivery.state()).isEqualTo(DeliveryState.CANCELLED)));
		assertThat(this.herald.events().status(published.eventId()).cancelledAt()).isNotNull();
	}

	@Test
	void aBatchAnswersEachEventAndOneRefusalSparesTheOthers() {
		String user = newUser();
		Event good = Event.builder("order.shipped").toUsers(user).channels(Channel.INAPP).content("A", "a").build();
		Event bad = Event.builder("Not A Type").toUsers(user).content("B", "b").build();
		List<BatchResult> results = this.herald.events().publishBatch(List.of(good, bad, good));
		assertThat(results).extracting(BatchResult::outcome)
			.containsExactly(BatchResult.Outcome.ACCEPTED, BatchResult.Outcome.REJECTED, BatchResult.Outcome.ACCEPTED);
		assertThat(results.get(1).problem()).isNotNull()
			.satisfies((problem) -> assertThat(problem.code()).isEqualTo("invalid_event"));
		assertThat(results.get(0).eventId()).isNotEqualTo(results.get(2).eventId());
	}

	@Test
	void aProfileIsWrittenReadPatchedAndGuardedByItsVersion() {
		String user = newUser();
		ProfileWrite created = this.herald.users()
			.put(user, new Profile("ada@example.com", "+4915112345678", "de-DE", "Europe/Berlin"), null);
		StoredProfile stored = await().atMost(ASYNC)
			.until(() -> readProfile(user), (profile) -> profile != null && profile.profile().email() != null);
		if (created.applied()) {
			assertThat(created.etag()).isEqualTo(stored.etag());
		}
		Map<String, String> removeEmail = new HashMap<>();
		removeEmail.put("email", null);
		ProfileWrite patched = this.herald.users().patch(user, removeEmail, stored.etag());
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThat(this.herald.users().get(user).profile())
				.isEqualTo(new Profile(null, "+4915112345678", "de-DE", "Europe/Berlin")));
		if (patched.applied()) {
			assertThat(patched.profile()).isEqualTo(new Profile(null, "+4915112345678", "de-DE", "Europe/Berlin"));
		}
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.users().patch(user, Map.of("locale", "fr-FR"), stored.etag()))
			.satisfies((ex) -> assertThat(ex.kind()).as(ex.getMessage()).isEqualTo(ProblemKind.PRECONDITION_FAILED));
	}

	@Test
	void preferencesDevicesAndTopicsAreWrittenAndReadBack() {
		String user = newUser();
		// Channels in Herald's order (inapp, push, email, sms), as it stores them.
		Preferences preferences = new Preferences(Map.of("email", false),
				Map.of("marketing.*", new Preferences.CategoryRule(false, null), "order.*",
						new Preferences.CategoryRule(null, List.of("inapp", "push")), "news.*",
						new Preferences.CategoryRule(null, null, "09:00")),
				new Preferences.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)));
		this.herald.users().putPreferences(user, preferences);
		this.herald.users().registerDevice(user, Device.of("ios", "a".repeat(64), "com.example.app"));
		this.herald.users().subscribe(user, "weekly-news");
		await().atMost(ASYNC).untilAsserted(() -> {
			Preferences read = this.herald.users().preferences(user);
			assertThat(read.channels()).containsEntry("email", false);
			assertThat(read.categories()).containsAllEntriesOf(preferences.categories());
			assertThat(read.quietHours()).isEqualTo(preferences.quietHours());
			assertThat(this.herald.users().devices(user)).singleElement().satisfies((device) -> {
				assertThat(device.token()).isEqualTo("a".repeat(64));
				assertThat(device.appId()).isEqualTo("com.example.app");
				assertThat(device.registeredAt()).isNotNull();
			});
			assertThat(this.herald.users().topics(user)).containsExactly("weekly-news");
		});
		this.herald.users().removeDevice(user, "a".repeat(64));
		this.herald.users().unsubscribe(user, "weekly-news");
		await().atMost(ASYNC).untilAsserted(() -> {
			assertThat(this.herald.users().devices(user)).isEmpty();
			assertThat(this.herald.users().topics(user)).isEmpty();
		});
		this.herald.users().erase(user);
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> this.herald.users().get(user))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProblemKind.NOT_FOUND)));
	}

	@Test
	void anAddressIsSuppressedListedAndLiftedAndRefusalsAreTyped() {
		String user = newUser();
		this.herald.users().put(user, new Profile("ada@example.com", null, null, null), null);
		await().atMost(ASYNC).until(() -> readProfile(user), (profile) -> profile != null);
		assertThat(this.herald.users().suppressions(user)).isEmpty();

		SuppressionWrite write = this.herald.users().suppress(user, Channel.EMAIL, SuppressionReason.COMPLAINT);
		assertThat(write.suppression().channel()).isEqualTo(Channel.EMAIL);
		assertThat(write.suppression().address()).isEqualTo("ada@example.com");
		assertThat(write.suppression().reason()).isEqualTo(SuppressionReason.COMPLAINT);
		await().atMost(ASYNC)
			.untilAsserted(() -> assertThat(this.herald.users().suppressions(user)).singleElement()
				.satisfies((suppression) -> {
					assertThat(suppression.channel()).isEqualTo(Channel.EMAIL);
					assertThat(suppression.address()).isEqualTo("ada@example.com");
					assertThat(suppression.reason()).isEqualTo(SuppressionReason.COMPLAINT);
					assertThat(suppression.reasonName()).isEqualTo("complaint");
					assertThat(suppression.since()).isNotNull();
					assertThat(suppression.notificationId()).as("added by hand").isNull();
				}));
		assertThatExceptionOfType(HeraldApiException.class).isThrownBy(() -> client(KEY_B).users().suppressions(user))
			.satisfies((ex) -> assertThat(ex.kind()).as("another tenant's user").isEqualTo(ProblemKind.NOT_FOUND));

		this.herald.users().liftSuppression(user, Channel.EMAIL);
		await().atMost(ASYNC).untilAsserted(() -> assertThat(this.herald.users().suppressions(user)).isEmpty());
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.users().liftSuppression(user, Channel.EMAIL))
			.satisfies((ex) -> {
				assertThat(ex.kind()).as("nothing left to lift").isEqualTo(ProblemKind.NOT_FOUND);
				assertThat(ex.code()).isEqualTo("not_found");
			});
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.users().suppress(user, Channel.SMS, SuppressionReason.MANUAL))
			.satisfies((ex) -> assertThat(ex.kind()).as("no phone number").isEqualTo(ProblemKind.NOT_FOUND));
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.users().suppressions(newUser()))
			.satisfies((ex) -> assertThat(ex.kind()).as("an unknown user").isEqualTo(ProblemKind.NOT_FOUND));
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.users().suppress("not a user id!", Channel.EMAIL, SuppressionReason.MANUAL))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProblemKind.INVALID));
	}

	@Test
	void refusalsArriveAsTypedProblems() {
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> client("no-such-key").events().status("e-1"))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProblemKind.UNAUTHORIZED));
		Published theirs = client(KEY_B).events()
			.publish(Event.builder("rival.note").toUsers("someone").channels(Channel.INAPP).content("T", "B").build());
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.events().status(theirs.eventId()))
			.satisfies((ex) -> assertThat(ex.kind()).as("another tenant's event").isEqualTo(ProblemKind.NOT_FOUND));
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.events()
				.publish(Event.builder("order.shipped").toUsers("not a user id!").content("T", "B").build()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(ProblemKind.INVALID);
				assertThat(ex.code()).isEqualTo("invalid_event");
				assertThat(ex.problem().errors()).isNotEmpty();
			});
		assertThatExceptionOfType(HeraldApiException.class)
			.isThrownBy(() -> this.herald.events()
				.publish(Event.builder("order.shipped").toUsers(newUser()).content("T", "x".repeat(70_000)).build()))
			.satisfies((ex) -> assertThat(ex.kind()).as("a body over 64 KiB").isEqualTo(ProblemKind.TOO_LARGE));
		String accepted = this.herald.events()
			.publish(
					Event.builder("order.shipped").toUsers(newUser()).channels(Channel.INAPP).content("T", "B").build())
			.eventId();
		// An event the status view has not read yet is a 404 too.
		await().atMost(ASYNC)
			.ignoreException(HeraldApiException.class)
			.untilAsserted(() -> assertThat(this.herald.events().status(accepted).deliveries()).isNotEmpty()
				.allSatisfy((Delivery delivery) -> assertThat(delivery.stateName()).isNotEmpty()));
	}

	private StoredProfile readProfile(String user) {
		try {
			return this.herald.users().get(user);
		}
		catch (HeraldApiException ex) {
			if (ex.kind() == ProblemKind.NOT_FOUND) {
				return null;
			}
			throw ex;
		}
	}

	private static HeraldClient client(String key) {
		return HeraldClient.builder()
			.apiKey(key)
			.ingestionUrl(URI.create(stack.service("ingestion").url()))
			.usersUrl(URI.create(stack.service("routing").url()))
			.build();
	}

	private static String newUser() {
		return "client-" + UUID.randomUUID();
	}

}
