package io.herald.ingestion.status;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.StatusReported;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the status view stores a delivery: the short form where its field, time and state
 * say all but its seq, JSON otherwise, and both read back as the delivery reported.
 */
class StatusStoreTests {

	private static final Instant AT = Instant.parse("2026-11-28T10:00:00.123456Z");

	@Test
	void anInAppDeliveryIsStoredAsItsSeqAndReadBackWhole() {
		StatusReported status = new StatusReported(1, "acme", "e-1", "u-1", Channel.INAPP, null,
				DeliveryState.DELIVERED, null, null, null, 42L, AT);

		assertThat(StatusStore.detail(status)).isEqualTo("42");
		assertThat(StatusStore.delivery(status.deliveryKey(), "3,c-1|" + AT.toEpochMilli() + "|delivered|42"))
			.isEqualTo(Delivery.of(status))
			.extracting(Delivery::at)
			.isEqualTo("2026-11-28T10:00:00.123Z");
	}

	@Test
	void aDeliveryWithoutSeqIsStoredAsNothingButItsFieldTimeAndState() {
		StatusReported status = StatusReported.of("acme", "e-1", "u-1", Channel.EMAIL, DeliveryState.QUEUED, AT);

		assertThat(StatusStore.detail(status)).isEmpty();
		assertThat(StatusStore.delivery(status.deliveryKey(), "1|" + AT.toEpochMilli() + "|queued|"))
			.isEqualTo(Delivery.of(status));
	}

	@Test
	void aDevicesDeliveryKeepsItsDeviceWhateverItHolds() {
		StatusReported status = new StatusReported(1, "acme", "e-1", "u-1", Channel.PUSH, "android:a|b:c",
				DeliveryState.QUEUED, null, null, null, null, AT);

		assertThat(StatusStore.delivery(status.deliveryKey(), "1|" + AT.toEpochMilli() + "|queued|"))
			.isEqualTo(Delivery.of(status))
			.extracting(Delivery::device)
			.isEqualTo("android:a|b:c");
	}

	@Test
	void aDeliveryWithAReasonAnUntilOrAProvidersIdIsStoredAsJson() {
		StatusReported suppressed = StatusReported.of("acme", "e-1", "u-1", Channel.EMAIL, DeliveryState.SUPPRESSED, AT)
			.withReason("preference");
		StatusReported sent = new StatusReported(1, "acme", "e-1", "u-1", Channel.SMS, null, DeliveryState.SENT, null,
				null, "SM123", null, AT);

		for (StatusReported status : new StatusReported[] { suppressed, sent }) {
			String detail = StatusStore.detail(status);
			assertThat(detail).startsWith("{");
			assertThat(StatusStore.delivery(status.deliveryKey(), "2|" + AT.toEpochMilli() + "|x|" + detail))
				.isEqualTo(Delivery.of(status));
		}
	}

	@Test
	void aDeliveryStoredAsJsonBeforeTheShortFormIsReadAsBefore() {
		String stored = "3|1764324000123|delivered|{\"userId\":\"u-1\",\"channel\":\"inapp\",\"state\":\"delivered\","
				+ "\"seq\":7,\"at\":\"2026-11-28T10:00:00.123456Z\"}";

		assertThat(StatusStore.delivery("u-1|inapp", stored)).isEqualTo(
				new Delivery("u-1", "inapp", null, "delivered", null, null, null, 7L, "2026-11-28T10:00:00.123456Z"));
	}

}
