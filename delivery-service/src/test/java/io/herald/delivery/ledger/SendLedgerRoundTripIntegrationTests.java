package io.herald.delivery.ledger;

import io.herald.delivery.Lanes;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.ReceiptReferences;
import io.herald.delivery.receipt.TestReceiptReferences;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;
import io.herald.infra.SharedInfra;
import io.herald.infra.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a send costs in round trips to Redis before its provider is called, counted by a
 * TCP proxy in front of a real Redis. A push send: one, its ledger claim. An email or a
 * text message, whose channel gets receipts: two, the claim, whose script also lists the
 * send's receipt reference among its user's references when it grants the send, then one
 * {@code SET ... PX} of the reference itself. The reference cannot ride the claim's round
 * trip: it must be written only once the claim granted the send (a {@code done} or
 * {@code busy} answer leaves the reference of the send made, or being made, with its
 * time), and its key, which a receipt finds by the reference alone, is in another slot
 * than the user's keys on a Redis Cluster, so it cannot be a key of the claim's script.
 * No pipeline, so no dedicated connection: every command goes over the shared one.
 */
class SendLedgerRoundTripIntegrationTests {

	private static final LedgerProperties PROPERTIES = new LedgerProperties(Duration.ofSeconds(30), Duration.ofDays(7));

	private final TcpProxy proxy = new TcpProxy(0, SharedInfra.redis().port());

	private final LettuceConnectionFactory connections = LedgerConnections.standalone(this.proxy.port());

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	private final SendLedger ledger = new SendLedger(this.redis, PROPERTIES);

	private final ReceiptReferences references = TestReceiptReferences.on(this.redis, Channel.EMAIL, Channel.SMS);

	private final String user = "u-" + UUID.randomUUID();

	@BeforeEach
	void warmUp() {
		// Connected, and the claim's script known to Redis.
		this.ledger.claim(SendLedger.key(Lanes.TENANT, this.user, "warm-up"));
	}

	@AfterEach
	void close() {
		this.connections.destroy();
		this.proxy.close();
	}

	@Test
	void aPushSendsClaimIsOneRoundTrip() {
		Send push = send(Lanes.push(Lanes.device(Device.Platform.IOS, "token-1")));
		long before = this.proxy.requests();

		Claim claim = this.ledger.claim(ledgerKey(push));

		assertThat(this.proxy.requests() - before).isEqualTo(1);
		assertThat(claim).isInstanceOf(Claim.Claimed.class);
	}

	@Test
	void anEmailsClaimIsOneRoundTripAndItsReferenceOneSet() {
		Send email = send(Lanes.email(this.user + "@example.com"));
		long before = this.proxy.requests();

		Claim claim = this.ledger.claim(ledgerKey(email), this.references.listing(email));
		assertThat(this.proxy.requests() - before).as("the claim, listing the reference").isEqualTo(1);
		this.references.expect(email);

		assertThat(this.proxy.requests() - before).as("then the reference's SET").isEqualTo(2);
		assertThat(claim).isInstanceOf(Claim.Claimed.class);
		String reference = ReceiptReferences.of(email);
		assertThat(this.redis.opsForSet().members(usersReferences())).containsExactly(reference);
		assertThat(this.redis.opsForValue().get("herald:receipt:" + reference)).contains(this.user);
		assertThat(this.redis.getExpire("herald:receipt:" + reference, TimeUnit.MILLISECONDS))
			.isGreaterThan(TestReceiptReferences.RETENTION.minusMinutes(1).toMillis())
			.isLessThanOrEqualTo(TestReceiptReferences.RETENTION.toMillis());
	}

	@Test
	void anSmsWhoseSendIsDoneAlreadyCostsOneRoundTripAndWritesNoReference() {
		Send sms = send(Lanes.sms("+4915112345678"));
		String key = ledgerKey(sms);
		LedgerOutcome outcome = new LedgerOutcome(true, "twilio", "SM1", null);
		assertThat(this.ledger.claim(key)).isInstanceOf(Claim.Claimed.class);
		this.ledger.complete(key, outcome);
		long before = this.proxy.requests();

		Claim claim = this.ledger.claim(key, this.references.listing(sms));

		assertThat(this.proxy.requests() - before).isEqualTo(1);
		assertThat(claim).isEqualTo(new Claim.Done(outcome));
		assertThat(this.redis.hasKey(usersReferences())).isFalse();
	}

	private Send send(ChannelMessage message) {
		DeliverNotification notification = Lanes.notification(this.user, "e-1", Priority.HIGH, message);
		Device device = (message instanceof ChannelMessage.Push push) ? push.devices().getFirst() : null;
		return new Send(notification.notificationId(), notification, message, device, 1);
	}

	private static String ledgerKey(Send send) {
		return SendLedger.key(send.notification().tenant(), send.notification().userId(), send.key());
	}

	private String usersReferences() {
		return "herald:receipts:{" + Lanes.TENANT + ":" + this.user + "}";
	}

}
