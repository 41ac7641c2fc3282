package io.herald.delivery.dispatch;

import io.herald.delivery.receipt.PermanentAddressFailure;
import io.herald.delivery.receipt.ReceiptReason;
import io.herald.events.Channel;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.support.metrics.Funnel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which receipts suppress an address, and with which reason.
 */
class AddressSuppressionsTests {

	@Test
	void aReceiptSuppressesExactlyWhenItIsAPermanentAddressFailure() {
		assertThat(Arrays.stream(ReceiptReason.values()))
			.allSatisfy((reason) -> assertThat(AddressSuppressions.reason(reason) != null).as(reason.wireName())
				.isEqualTo(reason.permanentAddressFailure()));
	}

	@Test
	void aReceiptsReasonBecomesTheSuppressionsReason() {
		assertThat(AddressSuppressions.reason(ReceiptReason.BOUNCED)).isEqualTo(SuppressionReason.BAD_ADDRESS);
		assertThat(AddressSuppressions.reason(ReceiptReason.COMPLAINED)).isEqualTo(SuppressionReason.COMPLAINT);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNKNOWN_DESTINATION))
			.isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.LANDLINE)).isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.INVALID_NUMBER))
			.isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNSUBSCRIBED)).isEqualTo(SuppressionReason.UNSUBSCRIBED);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNREACHABLE)).isNull();
	}

	@Test
	void aPermanentFailureMakesOneSuppressAddressCommandWithTheTimeOfItsSendForTheReceiptsWrite() {
		AddressSuppressions suppressions = suppressions();
		Instant sentAt = Instant.parse("2025-01-01T00:00:00Z");
		Instant at = sentAt.plusSeconds(600);

		assertThat(suppressions.recordsFor(new PermanentAddressFailure("t", "u-1", Channel.EMAIL, "jane@example.com",
				ReceiptReason.BOUNCED, "e-1", at, sentAt)))
			.singleElement()
			.satisfies((record) -> {
				assertThat(record.topic()).isEqualTo(Topics.USER_COMMANDS.name());
				assertThat(Topics.USER_COMMANDS.codec().decode(record.value()))
					.isEqualTo(new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, "t", "u-1", at,
							Channel.EMAIL, "jane@example.com", SuppressionReason.BAD_ADDRESS, null, sentAt));
				assertThat(record.key()).isEqualTo(Topics.USER_COMMANDS.codec().decode(record.value()).key());
			});
	}

	@Test
	void aReceiptOfASendOfUnknownTimeMakesACommandOfVersionOne() {
		Instant at = Instant.parse("2025-01-01T00:00:00Z");

		assertThat(suppressions().recordsFor(new PermanentAddressFailure("t", "u-1", Channel.SMS, "+15550001234",
				ReceiptReason.LANDLINE, "e-1", at, null)))
			.singleElement()
			.satisfies((record) -> assertThat(Topics.USER_COMMANDS.codec().decode(record.value()))
				.isEqualTo(new UserCommand.SuppressAddress(UserCommand.SCHEMA_VERSION, "t", "u-1", at, Channel.SMS,
						"+15550001234", SuppressionReason.INVALID_NUMBER, null)));
	}

	@Test
	void aFailureWithoutAnAddressOrOneThatSuppressesNothingMakesNoRecords() {
		AddressSuppressions suppressions = suppressions();
		Instant at = Instant.parse("2025-01-01T00:00:00Z");

		assertThat(suppressions.recordsFor(
				new PermanentAddressFailure("t", "u-1", Channel.EMAIL, null, ReceiptReason.COMPLAINED, "e-1", at, at)))
			.isEmpty();
		assertThat(suppressions.recordsFor(new PermanentAddressFailure("t", "u-1", Channel.SMS, "+15550001234",
				ReceiptReason.REFUSED, "e-1", at, at)))
			.isEmpty();
	}

	private static AddressSuppressions suppressions() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return new AddressSuppressions(new DispatchMetrics(meters, new Funnel(meters)));
	}

}
